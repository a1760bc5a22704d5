package com.example.migration;

import liquibase.change.custom.CustomSqlChange;
import liquibase.change.custom.CustomSqlRollback;
import liquibase.database.Database;
import liquibase.exception.SetupException;
import liquibase.exception.ValidationErrors;
import liquibase.resource.ResourceAccessor;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.RawParameterizedSqlStatement;

/** A project-specific change: Liquibase loads it from the project's classes. */
public class CreateAuditTable implements CustomSqlChange, CustomSqlRollback {
    @Override
    public SqlStatement[] generateStatements(Database database) {
        return new SqlStatement[] {new RawParameterizedSqlStatement("CREATE TABLE model_audit (id BIGINT, note VARCHAR(200))")};
    }

    @Override
    public SqlStatement[] generateRollbackStatements(Database database) {
        return new SqlStatement[] {new RawParameterizedSqlStatement("DROP TABLE model_audit")};
    }

    @Override
    public String getConfirmationMessage() {
        return "model_audit created";
    }

    @Override
    public void setUp() throws SetupException {
    }

    @Override
    public void setFileOpener(ResourceAccessor resourceAccessor) {
    }

    @Override
    public ValidationErrors validate(Database database) {
        return new ValidationErrors();
    }
}
