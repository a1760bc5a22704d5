def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains(":smoke (smoke) on project smoke-suppression-pom-no-reason-fails: Parameter 'suppressions': entry 1 (changeset seed-stages, rule smoke.lint.no-rollback) has no <reason>. Every suppression names the changeset, the rule and why the finding is accepted, e.g. <suppression><changeset>add-stage-index</changeset><rule>smoke.impact.index-not-concurrent</rule><reason>model_stage has 200 rows</reason></suppression>.")
assert !new File(basedir, 'target/migration-safety/smoke-report.json').exists() : 'nothing ran'
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
