package io.mosaspark.prep.tokenize;

/**
 * One learned merge: adjacent tokens {@code left}, {@code right} become {@code result}. Usually
 * {@code result} is a new id; it is an older one when another pair already spelled the same bytes.
 */
public record BpeMerge(int left, int right, int result) {
}
