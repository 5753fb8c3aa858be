// What NVRTC gives a program that includes nothing, as far as kernels.cu and flash_attention.cu use it, so
// that clang can compile them without the CUDA toolkit (KernelCompileTest). Declarations come from clang's
// own CUDA headers (libdevice's functions, the built-in variables); the rest, which the CUDA toolkit's
// headers would define, is spelled out here. A kernel that calls something new fails here first: add it.
#include <stddef.h>
#include <limits.h>
#define HUGE_VAL __builtin_huge_val()
#define HUGE_VALF __builtin_huge_valf()
#define CUDA_VERSION 11080
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __host__ __attribute__((host))
#define __shared__ __attribute__((shared))
#define __constant__ __attribute__((constant))
#define __forceinline__ __inline__ __attribute__((always_inline))
#define __align__(n) __attribute__((aligned(n)))
#include <__clang_cuda_builtin_vars.h>
#include <__clang_cuda_libdevice_declares.h>
#include <__clang_cuda_device_functions.h>
#include <__clang_cuda_math.h>
#define MOSA_DEVICE static __device__ __inline__
// float overloads of the math functions (NVRTC has them from its math headers; double ones are libdevice's)
MOSA_DEVICE float tanh(float x) { return tanhf(x); }
MOSA_DEVICE float exp(float x) { return expf(x); }
MOSA_DEVICE float log(float x) { return logf(x); }
MOSA_DEVICE float sqrt(float x) { return sqrtf(x); }
MOSA_DEVICE float pow(float x, float y) { return powf(x, y); }
MOSA_DEVICE void sincos(float x, float* s, float* c) { sincosf(x, s, c); }
MOSA_DEVICE float max(float a, float b) { return fmaxf(a, b); }
MOSA_DEVICE float min(float a, float b) { return fminf(a, b); }
MOSA_DEVICE double max(double a, double b) { return fmax(a, b); }
MOSA_DEVICE double min(double a, double b) { return fmin(a, b); }
MOSA_DEVICE float atomicAdd(float* p, float v) { return __fAtomicAdd(p, v); }
MOSA_DEVICE double atomicAdd(double* p, double v) { return __dAtomicAdd(p, v); }
MOSA_DEVICE int atomicExch(int* p, int v) { return __iAtomicExch(p, v); }
MOSA_DEVICE float __shfl_xor_sync(unsigned m, float v, int lane) { return __nvvm_shfl_sync_bfly_f32(m, v, lane, 0x1f); }
MOSA_DEVICE int __shfl_xor_sync(unsigned m, int v, int lane) { return __nvvm_shfl_sync_bfly_i32(m, v, lane, 0x1f); }
MOSA_DEVICE double __shfl_xor_sync(unsigned m, double v, int lane) {
    long long b = __double_as_longlong(v);
    int lo = __nvvm_shfl_sync_bfly_i32(m, (int) b, lane, 0x1f), hi = __nvvm_shfl_sync_bfly_i32(m, (int) (b >> 32), lane, 0x1f);
    return __longlong_as_double(((long long) hi << 32) | (unsigned) lo);
}
struct __align__(8) float2 { float x, y; };
struct __align__(16) float4 { float x, y, z, w; };
struct __align__(8) uint2 { unsigned x, y; };
MOSA_DEVICE float2 make_float2(float x, float y) { return {x, y}; }
MOSA_DEVICE float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }
MOSA_DEVICE uint2 make_uint2(unsigned x, unsigned y) { return {x, y}; }
