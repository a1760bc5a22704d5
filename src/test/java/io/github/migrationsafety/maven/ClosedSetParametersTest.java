package io.github.migrationsafety.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.migrationsafety.backup.BackupEngine;
import io.github.migrationsafety.dedupe.OnReferences;
import io.github.migrationsafety.sidecar.SidecarException;
import io.github.migrationsafety.sidecar.SigningMode;
import io.github.migrationsafety.smoke.RollbackMode;
import io.github.migrationsafety.smoke.SmokeException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The closed-set parameters ({@code onReferences}, {@code signing}, {@code rollbackMode}, backup {@code method}) are
 * String parameters parsed once, by their engine enum's {@code parse}, not enum-typed parameters: Maven binds an enum
 * parameter with {@code Enum.valueOf} on the exact constant name, so {@code per-changeset}, {@code pg_dump} and every
 * value in the lower case users write today would be refused, and with Maven's "Cannot convert 'x' to Enum" instead of
 * the message naming the parameter and its values. Pins the spellings that work today and the messages for others.
 */
class ClosedSetParametersTest {

    @Test
    void mavenEnumBindingWouldRefuseTodaysSpellings() {
        assertThrows(IllegalArgumentException.class, () -> Enum.valueOf(RollbackMode.class, "per-changeset"));
        assertThrows(IllegalArgumentException.class, () -> Enum.valueOf(OnReferences.class, "fail"));
        assertThrows(IllegalArgumentException.class, () -> Enum.valueOf(BackupEngine.Method.class, "pg_dump"));
        assertThrows(IllegalArgumentException.class, () -> Enum.valueOf(SigningMode.class, "auto"));
    }

    @Test
    void onReferences() {
        assertEquals(OnReferences.FAIL, OnReferences.parse("fail"));
        assertEquals(OnReferences.REPOINT, OnReferences.parse(" Repoint "));
        assertEquals(
                "Parameter 'onReferences': 'move' is not supported. Use fail (stop and list the references) or"
                        + " repoint (move them to the kept row).",
                assertThrows(IllegalArgumentException.class, () -> OnReferences.parse("move"))
                        .getMessage());
    }

    @Test
    void signing() throws SidecarException {
        for (SigningMode mode : SigningMode.values()) {
            assertEquals(mode, SigningMode.parse(mode.label()));
            assertEquals(mode, SigningMode.parse(mode.label().toUpperCase(Locale.ROOT)));
        }
        assertEquals(
                "Parameter 'signing' is 'yes'; use one of auto (verify when the key is set), required or off.",
                assertThrows(SidecarException.class, () -> SigningMode.parse("yes"))
                        .getMessage());
    }

    @Test
    void rollbackMode() throws SmokeException {
        for (RollbackMode mode : RollbackMode.values()) {
            assertEquals(mode, RollbackMode.parse(mode.label()), "the report's label parses back");
        }
        assertEquals(RollbackMode.PER_CHANGESET, RollbackMode.parse("Per-Changeset"));
        assertEquals(RollbackMode.OFF, RollbackMode.parse("none"));
        assertEquals(RollbackMode.ALL, RollbackMode.parse(null));
        assertEquals(
                "Parameter 'rollbackMode': unknown value 'per_changeset'. Use all, per-changeset or off.",
                assertThrows(SmokeException.class, () -> RollbackMode.parse("per_changeset"))
                        .getMessage());
    }

    @Test
    void backupMethod() {
        assertEquals(BackupEngine.Method.AUTO, BackupEngine.Method.parse("auto"));
        assertEquals(BackupEngine.Method.PG_DUMP, BackupEngine.Method.parse("pg_dump"));
        assertEquals(BackupEngine.Method.PG_DUMP, BackupEngine.Method.parse("PG-DUMP"));
        assertEquals(BackupEngine.Method.JDBC, BackupEngine.Method.parse("jdbc"));
        assertEquals(
                "Parameter 'method': 'copy' is not supported. Use auto (pg_dump when found, else JDBC export),"
                        + " pg_dump or jdbc.",
                assertThrows(IllegalArgumentException.class, () -> BackupEngine.Method.parse("copy"))
                        .getMessage());
    }
}
