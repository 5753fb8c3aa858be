package io.mosaspark.model.nn;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The off-heap memory of one layer instance for one training step: the arrays its forward creates
 * and caches live in one ND4J workspace, opened by forward and reset when backward has ended (backward
 * itself runs in memory shared by all layers, {@link #transientWork}). From the second step on, the
 * same memory is handed out again: no allocation, no fresh pages, no dead arrays waiting for the
 * garbage collector to free their native buffers. Without it, every step allocated hundreds of fresh
 * off-heap arrays; ND4J frees those only after the JVM has collected their Java handles, so resident
 * memory measured garbage (the Tiny MoSA hybrid: 6.2 GB resident for a 2.7 GB live peak), and in a
 * profile of a long cpu-demo run up to a third of the step went to the kernel zeroing fresh pages.
 *
 * <p>The workspace learns its size in the first step (arrays of that step are allocated separately
 * and freed at its end) and grows if a later step needs more (e.g. a larger batch); each time, the
 * freed memory is handed back to the OS ({@link NativeHeap}).
 *
 * <p>Lifecycle: {@link #forward} opens the step (ending a previous one that had no backward);
 * {@link #borrow} runs more work in the same memory; {@link #release} ends the
 * step, after which every array created in it is invalid. What must outlive the step is copied out
 * by the caller ({@code detach()} or DL4J's own workspaces). Not thread-safe; one instance per layer
 * instance.
 */
final class StepMemory {

    private static final AtomicLong IDS = new AtomicLong();
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.05)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .build();

    /** The thread's memory for work whose results are copied out before it ends (a layer's backward). */
    private static final String SHARED_ID = "mosa-layer-transient";

    private final MemoryWorkspace workspace;
    private boolean open;

    StepMemory(String owner) {
        MemoryWorkspace ws = Nd4j.getWorkspaceManager().createNewWorkspace(CONFIG,
                "mosa-step-" + owner + "-" + IDS.incrementAndGet());
        // The manager also lists it among the thread's workspaces, where DL4J would see an open step as
        // a workspace left open by mistake ("Expected no workspace active before ..."). The layer owns it
        // alone: unlist it (it holds no memory yet, so "destroying" it frees nothing). ND4J's own
        // deallocator, registered at creation, frees its memory once the layer is unreachable.
        Nd4j.getWorkspaceManager().destroyWorkspace(ws);
        this.workspace = ws;
    }

    /** Runs {@code body} as the first work of a new step; arrays it creates live until {@link #release}. */
    <T> T forward(Supplier<T> body) {
        release();
        MemoryWorkspace previous = Nd4j.getMemoryManager().getCurrentWorkspace();
        workspace.notifyScopeEntered();
        open = true;
        try {
            return body.get();
        } catch (RuntimeException | Error e) {
            release();
            throw e;
        } finally {
            Nd4j.getMemoryManager().setCurrentWorkspace(previous);
        }
    }

    /** Runs {@code body} in the open step's memory (or with workspaces scoped out if no step is open). */
    <T> T borrow(Supplier<T> body) {
        if (!open) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return body.get();
            }
        }
        MemoryWorkspace previous = Nd4j.getMemoryManager().getCurrentWorkspace();
        Nd4j.getMemoryManager().setCurrentWorkspace(workspace);
        try {
            return body.get();
        } finally {
            Nd4j.getMemoryManager().setCurrentWorkspace(previous);
        }
    }

    /**
     * Runs {@code body} in memory shared by every layer on this thread and reused as soon as it returns:
     * whatever {@code body} creates is invalid afterwards, so it must copy its results out itself. A
     * backward pass needs its temporaries only until its gradients are copied into DL4J's arrays; in
     * shared memory the network holds one layer's backward temporaries at a time instead of every layer's.
     */
    static <T> T transientWork(Supplier<T> body) {
        MemoryWorkspace shared = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(CONFIG, SHARED_ID);
        long size = shared.getCurrentSize();
        try (MemoryWorkspace ignored = shared.notifyScopeEntered()) {
            return body.get();
        } finally {
            if (shared.getCurrentSize() != size) NativeHeap.returnFreeMemory();
        }
    }

    /** True between {@link #forward} and {@link #release}. */
    boolean isOpen() {
        return open;
    }

    /** Ends the step: the memory is handed out again by the next {@link #forward}. Idempotent. */
    void release() {
        if (!open) return;
        open = false;
        MemoryWorkspace previous = Nd4j.getMemoryManager().getCurrentWorkspace();
        long size = workspace.getCurrentSize();
        Nd4j.getMemoryManager().setCurrentWorkspace(workspace);
        try {
            workspace.close();   // the first close learns the size: separate allocations freed, one block allocated
        } finally {
            Nd4j.getMemoryManager().setCurrentWorkspace(previous);
        }
        if (workspace.getCurrentSize() != size) NativeHeap.returnFreeMemory();
    }
}
