package io.github.migrationsafety.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import liquibase.ChecksumVersion;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;

/** A Liquibase history as Liquibase before 4.24 wrote it: each row's checksum in version 8 ({@code 8:...}). */
public final class Version8History {

    private Version8History() {}

    /**
     * Rewrites the {@code databasechangelog} rows on {@code connection} of {@code changeLog}'s changesets to their
     * version-8 checksums; returns how many rows changed.
     */
    public static int rewrite(Connection connection, DatabaseChangeLog changeLog) throws SQLException {
        int rows = 0;
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE databasechangelog SET md5sum = ? WHERE id = ? AND author = ? AND filename = ?")) {
            for (ChangeSet changeSet : changeLog.getChangeSets()) {
                update.setString(
                        1, changeSet.generateCheckSum(ChecksumVersion.V8).toString());
                update.setString(2, changeSet.getId());
                update.setString(3, changeSet.getAuthor());
                update.setString(4, changeSet.getFilePath());
                rows += update.executeUpdate();
            }
        }
        return rows;
    }
}
