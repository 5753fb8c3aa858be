package io.mosaspark.train.outer;

import io.mosaspark.train.round.RoundSum;
import io.mosaspark.train.state.FlatVector;
import io.mosaspark.train.state.GlobalState;

/**
 * DiLoCo's outer step (Douillard et al. 2023, arXiv 2311.08105): the outer gradient is the mean change
 * the workers made, Δ = θ − mean(θᵢ), applied by SGD with Nesterov momentum μ exactly as PyTorch's
 * {@code SGD(nesterov=True)} does: b ← μ·b + Δ (b = Δ on the first step), θ ← θ − lr·(Δ + μ·b).
 * With lr 1 and μ 0 it reduces to parameter averaging of the parameters (not of the optimizer state,
 * which stays with each worker).
 */
final class DiLoCo implements OuterRule {
    private final double lr;
    private final double momentum;

    DiLoCo(double lr, double momentum) {
        this.lr = lr;
        this.momentum = momentum;
    }

    @Override
    public boolean broadcastsOptimizerState() {
        return false;
    }

    @Override
    public GlobalState apply(GlobalState previous, RoundSum sum, int localSteps) {
        FlatVector mean = sum.params().dividedBy(sum.workers());
        int n = mean.length();
        FlatVector theta = previous.params().copy();
        FlatVector buffer = previous.outerMomentum() == null ? FlatVector.zeros(theta.dataType(), n)
                : previous.outerMomentum().copy();
        boolean first = previous.outerMomentum() == null;
        if (theta.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE) {
            double[] t = theta.doubles(), m = mean.doubles(), b = buffer.doubles();
            for (int i = 0; i < n; i++) {
                double delta = t[i] - m[i];
                b[i] = first ? delta : momentum * b[i] + delta;
                t[i] -= lr * (delta + momentum * b[i]);
            }
        } else {
            float[] t = theta.floats(), m = mean.floats(), b = buffer.floats();
            float mu = (float) momentum, rate = (float) lr;
            for (int i = 0; i < n; i++) {
                float delta = t[i] - m[i];
                b[i] = first ? delta : mu * b[i] + delta;
                t[i] -= rate * (delta + mu * b[i]);
            }
        }
        return new GlobalState(previous.round() + 1, previous.globalStep() + localSteps, theta, null, buffer,
                previous.tokensSeen() + sum.tokens());
    }
}
