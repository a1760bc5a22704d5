package io.github.migrationsafety.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.migrationsafety.db.ConnectionSettings;
import io.github.migrationsafety.db.Databases;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import liquibase.change.Change;
import liquibase.change.core.AddColumnChange;
import liquibase.change.core.AddForeignKeyConstraintChange;
import liquibase.change.core.CreateIndexChange;
import liquibase.change.core.CreateTableChange;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.RawSQLChange;
import liquibase.change.core.RenameColumnChange;
import liquibase.change.core.RenameTableChange;
import liquibase.changelog.ChangeSet;
import org.junit.jupiter.api.Test;

/** The step-by-step rollback check reads only the tables a step can change, and sees what a full read sees. */
class RollbackStepsTest {

    @Test
    void theSchemaKeptPerTableIsTheSchemaAfterEveryStep() throws Exception {
        try (Connection connection = Databases.open(new ConnectionSettings(
                "jdbc:h2:mem:rollback-steps-" + UUID.randomUUID() + ";MODE=PostgreSQL", "sa", ""))) {
            RollbackSteps steps = new RollbackSteps(connection);
            CreateTableChange parent = new CreateTableChange();
            parent.setTableName("parent");
            CreateTableChange child = new CreateTableChange();
            child.setTableName("child");
            CreateTableChange other = new CreateTableChange();
            other.setTableName("parent_x");
            AddForeignKeyConstraintChange fk = new AddForeignKeyConstraintChange();
            fk.setBaseTableName("child");
            fk.setReferencedTableName("parent");
            RenameColumnChange renameReferenced = new RenameColumnChange();
            renameReferenced.setTableName("parent");
            RenameTableChange renameTable = new RenameTableChange();
            renameTable.setOldTableName("parent");
            renameTable.setNewTableName("mother");
            CreateIndexChange index = new CreateIndexChange();
            index.setTableName("child");
            AddColumnChange addColumn = new AddColumnChange();
            addColumn.setTableName("parent_x");
            RawSQLChange sql = new RawSQLChange("CREATE TABLE by_sql (id INT)");
            DropTableChange drop = new DropTableChange();
            drop.setTableName("mother");
            drop.setCascadeConstraints(true);
            // each step runs its DDL as the change would, and names the change that names its tables
            List<Step> script = List.of(
                    new Step(parent, "CREATE TABLE parent (id INT PRIMARY KEY, code VARCHAR(10))"),
                    new Step(other, "CREATE TABLE parent_x (id INT PRIMARY KEY)"),
                    new Step(child, "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT)"),
                    new Step(
                            fk,
                            "ALTER TABLE child ADD CONSTRAINT fk_child FOREIGN KEY (parent_id) REFERENCES parent(id)"),
                    // the child's foreign key line names the parent's column: the child is read again too
                    new Step(renameReferenced, "ALTER TABLE parent ALTER COLUMN id RENAME TO parent_id"),
                    new Step(renameTable, "ALTER TABLE parent RENAME TO mother"),
                    new Step(index, "CREATE INDEX ix_child ON child (parent_id)"),
                    new Step(addColumn, "ALTER TABLE parent_x ADD COLUMN note VARCHAR(20)"),
                    new Step(sql, "CREATE TABLE by_sql (id INT); ALTER TABLE child ADD COLUMN extra INT"),
                    // dropping the referenced table drops the child's foreign key
                    new Step(drop, "DROP TABLE mother CASCADE"));
            int n = 0;
            for (Step step : script) {
                try (Statement statement = connection.createStatement()) {
                    for (String ddl : step.ddl().split("; ")) {
                        statement.execute(ddl);
                    }
                }
                ChangeSet changeSet = new ChangeSet("step-" + ++n, "test", false, false, "steps.xml", null, null, null);
                changeSet.addChange(step.change());
                steps.ran(changeSet, ChangeSet.ExecType.EXECUTED);
                assertEquals(SchemaSnapshot.of(connection), steps.current(), "after " + step.ddl());
            }
        }
    }

    private record Step(Change change, String ddl) {}
}
