// the fixture table, and its rows before the build for the "nothing changed" check
io.github.migrationsafety.testsupport.ItFixture.models(basedir)
io.github.migrationsafety.testsupport.ItFixture.run(basedir, 'DELETE FROM model_metadata WHERE id IN (2, 3, 5)')
new File(basedir, 'target/rows-before.txt').text = io.github.migrationsafety.testsupport.ItFixture.rows(basedir).join('\n')
true
