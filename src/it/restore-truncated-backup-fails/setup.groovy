// the fixture table, and its rows before the build for the "nothing changed" check
io.github.migrationsafety.testsupport.ItFixture.models(basedir)
new File(basedir, 'target/rows-before.txt').text = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
def backup = io.github.migrationsafety.testsupport.ItFixture.applyDedupe(basedir)
new File(basedir, 'target/rows-before.txt').text = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
def csv = backup.resolve('rows.csv').toFile()
csv.bytes = java.util.Arrays.copyOf(csv.bytes, csv.bytes.length - 7)
// checksums of every input file, for the "nothing changed" check in verify.groovy
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
