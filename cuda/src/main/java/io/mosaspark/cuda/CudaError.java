package io.mosaspark.cuda;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.BytePointer;

/** Turns the status codes of the CUDA runtime, driver, NVRTC and cuBLAS into exceptions naming the call. */
final class CudaError {

    private CudaError() {
    }

    static void runtime(int status, String call) {
        if (status != cudart.cudaSuccess) {
            BytePointer s = cudart.cudaGetErrorString(status);
            throw new IllegalStateException(call + " failed: CUDA error " + status + " (" + (s == null ? "?" : s.getString()) + ")");
        }
    }

    static void driver(int status, String call) {
        if (status != cudart.CUDA_SUCCESS) {
            BytePointer msg = new BytePointer((org.bytedeco.javacpp.Pointer) null);
            cudart.cuGetErrorString(status, msg);
            String text = msg.isNull() ? "?" : msg.getString();
            throw new IllegalStateException(call + " failed: CUDA driver error " + status + " (" + text + ")");
        }
    }

    static void nvrtc(int status, String call) {
        if (status != nvrtc.NVRTC_SUCCESS) {
            throw new IllegalStateException(call + " failed: NVRTC error " + status + " (" + nvrtc.nvrtcGetErrorString(status).getString() + ")");
        }
    }

    static void cublas(int status, String call) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(call + " failed: cuBLAS status " + status);
        }
    }
}
