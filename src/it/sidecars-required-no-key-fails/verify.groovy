def log = new File(basedir, 'build.log').text
assert log.contains("on project sidecars-required-no-key-fails: signing=required but the environment variable MODEL_ARTIFACT_SIGNING_KEY is empty. Export the signing key in MODEL_ARTIFACT_SIGNING_KEY (or name another variable with 'signingKeyEnv'); no artifact was checked. -> [Help 1]")
assert !log.contains('Checked ') : 'nothing is read before the key check'
assert !new File(basedir, 'target/migration-safety').exists()
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
