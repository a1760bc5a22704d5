def log = new File(basedir, 'build.log').text
def models = new File(basedir, 'models').canonicalPath
assert log.contains("[ERROR] bad/model.pkl: sidecar bad/model_metadata.json has no 'feature_list'; refusing to sign an artifact whose input features are unknown [${models}/bad/model_metadata.json] [sign.feature-list-missing] Fix: Add \"feature_list\": [...] with the model's input feature names, then run sign again.")
assert log.contains('[WARNING] No sidecar was changed because some could not be signed; fix the problems below and run again')
assert log.contains('[INFO] Would update good/model_metadata.json: feature_list_checksum, artifact_sig')
assert log =~ /on project sign-missing-feature-list-fails: 1 sidecar\(s\) could not be signed under .*\/models; nothing was written - see /
// all or nothing: the good sidecar was not touched either
assert new File(basedir, 'models/good/model_metadata.json').text == '{"name": "good", "version": "1", "feature_list": ["a"]}\n'
assert !log.contains('2f9c1d7e5a3b8c4d')
assert !(log =~ /\tat [a-z]/) : 'no stack trace at the default log level'
assert io.github.migrationsafety.testsupport.ItFixture.changedFiles(basedir) == [] : 'no input file changed'
true
