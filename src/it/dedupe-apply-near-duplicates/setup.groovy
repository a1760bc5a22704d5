// the fixture table (two duplicate groups) and one more row whose name differs from 'churn' only by case and a space
io.github.migrationsafety.testsupport.ItFixture.models(basedir)
io.github.migrationsafety.testsupport.ItFixture.run(basedir, "INSERT INTO model_metadata VALUES (7, 'Churn ', '1.0', NULL, 'n')")
true
