package io.mosaspark.prep.read;

import java.io.Serializable;

/**
 * One input file after glob expansion.
 *
 * @param index position in the sorted input list; with the record offset it orders documents
 * @param uri   fully qualified Hadoop URI
 * @param bytes stored (possibly compressed) size
 */
public record InputFile(int index, String uri, long bytes) implements Serializable {
}
