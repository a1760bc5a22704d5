def log = new File(basedir, 'build.log').text
assert log.contains("[ERROR] row name 'fraud' version '3': the database lists this model but no artifact under modelsDirectory has a sidecar with name 'fraud' version '3' [sidecars.reconcile-missing-artifact] Fix: Deploy the artifact with its sidecar, or fix the row before the application tries to load the model.")
assert log.contains("[ERROR] ranker/7/model.onnx: its sidecar declares name 'ranker' version '7' but the query (SELECT name, version FROM model_metadata) returns no such row [sidecars.reconcile-missing-row] Fix: Insert the row the application needs, or remove the artifact if the model is retired.")
assert log =~ /on project sidecars-reconcile-h2-fails: 2 sidecar problem\(s\) under .*\/models - see /
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/migration-safety/sidecars-report.json'))
assert json.summary.databaseModels == 2
assert !log.contains('It-Db-Secret-5521')
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
