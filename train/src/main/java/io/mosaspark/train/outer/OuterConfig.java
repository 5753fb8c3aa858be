package io.mosaspark.train.outer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How the driver turns the workers' end-of-round parameters into the next global parameters.
 *
 * @param rule     {@code averaging}: the global parameters and Adam moments become the workers' mean
 *                 (DL4J's parameter averaging); {@code diloco}: the mean parameter change is the gradient
 *                 of an outer SGD with Nesterov momentum, inner optimizer state stays with each worker
 *                 (Douillard et al. 2023)
 * @param lr       outer learning rate (DiLoCo; the paper: 0.7). Ignored by averaging.
 * @param momentum outer Nesterov momentum (DiLoCo; the paper: 0.9). Ignored by averaging.
 */
public record OuterConfig(@JsonProperty("rule") Rule rule,
                          @JsonProperty("lr") double lr,
                          @JsonProperty("momentum") double momentum) {

    public enum Rule {
        @JsonProperty("averaging") AVERAGING,
        @JsonProperty("diloco") DILOCO;

        public static Rule parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "averaging" -> AVERAGING;
                case "diloco" -> DILOCO;
                default -> throw new IllegalArgumentException("outer.rule = " + s + ": must be averaging or diloco");
            };
        }
    }

    public OuterConfig {
        if (rule == null) throw new IllegalArgumentException("outer.rule: missing (averaging or diloco)");
        if (!(lr > 0) || lr > 10) throw new IllegalArgumentException("outer.lr = " + lr + ": must be in (0, 10]");
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("outer.momentum = " + momentum + ": must be in [0, 1)");
        }
    }

    public static OuterConfig averaging() {
        return new OuterConfig(Rule.AVERAGING, 1.0, 0.0);
    }

    /** The DiLoCo paper's outer optimizer: SGD, lr 0.7, Nesterov momentum 0.9. */
    public static OuterConfig diloco() {
        return new OuterConfig(Rule.DILOCO, 0.7, 0.9);
    }

    public OuterRule newRule() {
        return rule == Rule.AVERAGING ? new ParameterAveraging() : new DiLoCo(lr, momentum);
    }
}
