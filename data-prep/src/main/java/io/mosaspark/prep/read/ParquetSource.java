package io.mosaspark.prep.read;

import java.io.IOException;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * {@code --format parquet}: one document per row from a top-level BINARY (string) column, read with
 * parquet-hadoop (on Spark's classpath) projecting only that column. The record offset is the row
 * index. A null value is an empty document. A file whose column is missing or not BINARY is refused
 * as a whole (reason missing_field / wrong_field_type), since every row would be. A value over the
 * record limit is rejected before it is decoded; parquet-hadoop has by then read the row group's
 * column chunk, so the row group size the file was written with bounds memory too.
 */
final class ParquetSource implements DocumentSource {
    private final InputFile file;
    private final RecordSizeLimit limit;
    private final ParquetReader<Group> reader;
    private final ReadRecord schemaProblem;
    private long row = -1;
    private boolean problemReported;

    ParquetSource(InputFile file, Configuration baseConf, String column, RecordSizeLimit limit) throws IOException {
        this.file = file;
        this.limit = limit;
        Path path = new Path(file.uri());
        MessageType schema;
        try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(path, baseConf))) {
            schema = footer.getFooter().getFileMetaData().getSchema();
        }
        this.schemaProblem = checkColumn(schema, column);
        if (schemaProblem != null) {
            this.reader = null;
            return;
        }
        Configuration conf = new Configuration(baseConf);
        MessageType projection = Types.buildMessage().addField(schema.getType(column)).named(schema.getName());
        conf.set(ReadSupport.PARQUET_READ_SCHEMA, projection.toString());
        this.reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build();
    }

    private ReadRecord checkColumn(MessageType schema, String column) {
        if (!schema.containsField(column)) {
            String columns = schema.getFields().stream().map(Type::getName).collect(Collectors.joining(", "));
            return ReadRecord.rejected(file, 0, RejectReason.MISSING_FIELD,
                    "no column '" + column + "' (columns: " + columns + "; set --text-field)");
        }
        Type t = schema.getType(column);
        if (!t.isPrimitive() || t.asPrimitiveType().getPrimitiveTypeName()
                != PrimitiveType.PrimitiveTypeName.BINARY || t.isRepetition(Type.Repetition.REPEATED)) {
            return ReadRecord.rejected(file, 0, RejectReason.WRONG_FIELD_TYPE,
                    "column '" + column + "' is " + t + ", expected a string (BINARY) column");
        }
        return null;
    }

    @Override
    public ReadRecord next() throws IOException {
        if (schemaProblem != null) {
            if (problemReported) {
                return null;
            }
            problemReported = true;
            return schemaProblem;
        }
        Group g = reader.read();
        if (g == null) {
            return null;
        }
        row++;
        if (g.getFieldRepetitionCount(0) == 0) {
            return ReadRecord.document(file, row, "", 0);
        }
        Binary value = g.getBinary(0, 0);
        if (limit.exceededBy(value.length())) {
            return ReadRecord.rejected(file, row, RejectReason.RECORD_TOO_LARGE, limit.rejection("a value",
                    value.length()));
        }
        byte[] bytes = value.getBytesUnsafe();
        Utf8Text.Decoded d = Utf8Text.decode(bytes, 0, bytes.length);
        return ReadRecord.document(file, row, d.text(), d.malformedBytes());
    }

    @Override
    public long position() {
        return Math.max(row, 0);
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
        }
    }
}
