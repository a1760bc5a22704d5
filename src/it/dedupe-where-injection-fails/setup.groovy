// the fixture table, and its rows before the build for the "nothing changed" check
io.github.migrationsafety.testsupport.ItFixture.models(basedir)
new File(basedir, 'target/rows-before.txt').text = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
// checksums of every input file, for the "nothing changed" check in verify.groovy
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
