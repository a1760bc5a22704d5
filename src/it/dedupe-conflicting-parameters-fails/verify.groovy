def log = new File(basedir, 'build.log').text
def base = basedir.absolutePath
def expected = ":dedupe (dedupe) on project dedupe-conflicting-parameters-fails: " + "Parameters 'idColumn' and 'keyColumns' conflict: NAME is both the row id and a key column. The id must identify single rows and the keys the duplicates; set 'idColumn' to the primary key (or leave it out) or remove NAME from 'keyColumns'. -> [Help 1]"
assert log.contains(expected) : 'exact failure message'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
def rows = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
assert rows == new File(basedir, 'target/rows-before.txt').text : 'the table is unchanged'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
