package io.github.migrationsafety.impact;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which statements the tracer counts the reads of apart ({@link ImpactTracer#statements()}). */
class TruncateStatementTest {

    @Test
    void aTruncateIsTheStatementsFirstKeyword() {
        assertTrue(ImpactTracer.isTruncate("TRUNCATE jobs"));
        assertTrue(ImpactTracer.isTruncate("  -- purge\n/* quartz */ truncate table jobs CASCADE"));
        assertFalse(ImpactTracer.isTruncate("truncated_at"));
        assertFalse(ImpactTracer.isTruncate("INSERT INTO log VALUES ('TRUNCATE')"));
        assertFalse(ImpactTracer.isTruncate("-- TRUNCATE jobs"));
    }
}
