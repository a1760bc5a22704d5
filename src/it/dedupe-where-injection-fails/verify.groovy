def log = new File(basedir, 'build.log').text
def base = basedir.absolutePath
def expected = ":dedupe (dedupe) on project dedupe-where-injection-fails: " + "Parameter 'where': '1=1; DELETE FROM model_metadata' is rejected because it contains ';'. Give one plain SQL condition on the table's columns, e.g. created_at < DATE '2025-01-01'; statement separators and comments are never allowed. -> [Help 1]"
assert log.contains(expected) : 'exact failure message'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
