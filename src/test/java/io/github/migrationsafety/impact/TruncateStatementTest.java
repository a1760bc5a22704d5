package io.github.migrationsafety.impact;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which statements the tracer counts the reads of apart ({@link TruncateReads}). */
class TruncateStatementTest {

    @Test
    void aTruncateIsTheStatementsFirstKeyword() {
        assertTrue(TruncateReads.isTruncate("TRUNCATE jobs"));
        assertTrue(TruncateReads.isTruncate("  -- purge\n/* quartz */ truncate table jobs CASCADE"));
        assertFalse(TruncateReads.isTruncate("truncated_at"));
        assertFalse(TruncateReads.isTruncate("INSERT INTO log VALUES ('TRUNCATE')"));
        assertFalse(TruncateReads.isTruncate("-- TRUNCATE jobs"));
    }
}
