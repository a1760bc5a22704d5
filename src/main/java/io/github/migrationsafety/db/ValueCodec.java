package io.github.migrationsafety.db;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Turns one column value into text for a CSV file and back, exactly.
 *
 * <p>NULL is {@code null} here; {@link RowCsv} writes it as an unquoted empty field and every non-NULL value
 * quoted, so NULL and the empty string stay apart. Binary is lowercase hex, temporal values ISO-8601 through
 * {@code java.time} (an offset is kept as written), numerics as exact decimal text, booleans {@code true} /
 * {@code false}. Types the JDBC standard does not describe (PostgreSQL {@code json}, {@code jsonb}, {@code uuid},
 * ...) travel as the database's own text form and are handed back as untyped text the server casts.
 */
public final class ValueCodec {

    private static final HexFormat HEX = HexFormat.of();

    private ValueCodec() {}

    /** Reads column {@code index} of the current row as codec text, or {@code null} for SQL NULL. */
    public static String read(ResultSet rs, int index, ColumnRef column) throws SQLException {
        String text = switch (column.jdbcType()) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
                byte[] bytes = rs.getBytes(index);
                yield bytes == null ? null : HEX.formatHex(bytes);
            }
            case Types.BIT, Types.BOOLEAN -> {
                if (isBitString(column)) {
                    yield rs.getString(index);
                }
                boolean value = rs.getBoolean(index);
                yield rs.wasNull() ? null : Boolean.toString(value);
            }
            case Types.DATE -> str(rs.getObject(index, LocalDate.class));
            case Types.TIME -> str(rs.getObject(index, LocalTime.class));
            case Types.TIME_WITH_TIMEZONE -> str(rs.getObject(index, OffsetTime.class));
            case Types.TIMESTAMP ->
                isTimeZoned(column)
                        ? str(rs.getObject(index, OffsetDateTime.class))
                        : str(rs.getObject(index, LocalDateTime.class));
            case Types.TIMESTAMP_WITH_TIMEZONE -> str(rs.getObject(index, OffsetDateTime.class));
            case Types.NUMERIC, Types.DECIMAL -> {
                BigDecimal value = rs.getBigDecimal(index);
                yield value == null ? null : value.toString();
            }
            case Types.REAL -> {
                float value = rs.getFloat(index);
                yield rs.wasNull() ? null : Float.toString(value);
            }
            case Types.FLOAT, Types.DOUBLE -> {
                double value = rs.getDouble(index);
                yield rs.wasNull() ? null : Double.toString(value);
            }
            default -> rs.getString(index);
        };
        return rs.wasNull() && !isBinary(column) ? null : text;
    }

    /** Binds codec text (or {@code null}) to parameter {@code index} with the column's type. */
    public static void bind(PreparedStatement statement, int index, ColumnRef column, String text) throws SQLException {
        int type = column.jdbcType();
        if (text == null) {
            statement.setNull(index, isOther(column) ? Types.OTHER : type);
            return;
        }
        switch (type) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
                statement.setBytes(index, HEX.parseHex(text));
            case Types.BIT, Types.BOOLEAN -> {
                if (isBitString(column)) {
                    statement.setObject(index, text, Types.OTHER);
                } else {
                    statement.setBoolean(index, Boolean.parseBoolean(text));
                }
            }
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT ->
                statement.setLong(index, Long.parseLong(text));
            case Types.NUMERIC, Types.DECIMAL -> statement.setBigDecimal(index, new BigDecimal(text));
            case Types.REAL -> statement.setFloat(index, Float.parseFloat(text));
            case Types.FLOAT, Types.DOUBLE -> statement.setDouble(index, Double.parseDouble(text));
            case Types.DATE -> statement.setObject(index, LocalDate.parse(text));
            case Types.TIME -> statement.setObject(index, LocalTime.parse(text));
            case Types.TIME_WITH_TIMEZONE -> statement.setObject(index, OffsetTime.parse(text));
            case Types.TIMESTAMP -> {
                if (isTimeZoned(column)) {
                    statement.setObject(index, OffsetDateTime.parse(text));
                } else {
                    statement.setObject(index, LocalDateTime.parse(text));
                }
            }
            case Types.TIMESTAMP_WITH_TIMEZONE -> statement.setObject(index, OffsetDateTime.parse(text));
            case Types.CHAR,
                    Types.VARCHAR,
                    Types.LONGVARCHAR,
                    Types.NCHAR,
                    Types.NVARCHAR,
                    Types.LONGNVARCHAR,
                    Types.CLOB,
                    Types.NCLOB -> statement.setString(index, text);
            default -> bindOther(statement, index, column, text);
        }
    }

    private static void bindOther(PreparedStatement statement, int index, ColumnRef column, String text)
            throws SQLException {
        if (column.dialect() == Dialect.H2
                && column.typeName().toUpperCase(Locale.ROOT).startsWith("JSON")) {
            // H2 treats a string bound to a JSON column as a JSON string literal; UTF-8 bytes are read as JSON text
            statement.setBytes(index, text.getBytes(StandardCharsets.UTF_8));
        } else if (column.dialect() == Dialect.POSTGRESQL) {
            // untyped parameter: the server casts the text to json, jsonb, uuid, inet, ... itself
            statement.setObject(index, text, Types.OTHER);
        } else {
            statement.setString(index, text);
        }
    }

    /** Whether values of this column can be compared as text with surrounding spaces and case. */
    public static boolean isText(ColumnRef column) {
        return switch (column.jdbcType()) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR -> true;
            default -> false;
        };
    }

    private static boolean isBinary(ColumnRef column) {
        return switch (column.jdbcType()) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> true;
            default -> false;
        };
    }

    private static boolean isOther(ColumnRef column) {
        return column.dialect() == Dialect.POSTGRESQL && column.jdbcType() == Types.OTHER;
    }

    /** PostgreSQL reports {@code timestamptz} as {@link Types#TIMESTAMP}; its type name tells them apart. */
    private static boolean isTimeZoned(ColumnRef column) {
        String name = column.typeName().toLowerCase(Locale.ROOT);
        return name.equals("timestamptz") || name.contains("with time zone");
    }

    /** PostgreSQL {@code bit(n)} / {@code varbit} share {@link Types#BIT} with {@code bool}. */
    private static boolean isBitString(ColumnRef column) {
        String name = column.typeName().toLowerCase(Locale.ROOT);
        return column.dialect() == Dialect.POSTGRESQL && (name.equals("bit") || name.equals("varbit"));
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }
}
