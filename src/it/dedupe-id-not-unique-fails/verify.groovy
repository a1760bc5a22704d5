def log = new File(basedir, 'build.log').text
def base = basedir.absolutePath
def expected = ":dedupe (dedupe) on project dedupe-id-not-unique-fails: " + "Parameter 'idColumn': column VERSION of PUBLIC.MODEL_METADATA is not unique (value '1.0' appears 4 times), so it cannot identify the rows to keep and delete. Set 'idColumn' to the primary key or another unique, non-null column. -> [Help 1]"
assert log.contains(expected) : 'exact failure message'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
