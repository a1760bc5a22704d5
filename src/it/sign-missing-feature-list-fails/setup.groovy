def good = new File(basedir, 'models/good/model.pkl'); good.parentFile.mkdirs(); good.bytes = [1] as byte[]
new File(good.parentFile, 'model_metadata.json').text = '{"name": "good", "version": "1", "feature_list": ["a"]}\n'
def bad = new File(basedir, 'models/bad/model.pkl'); bad.parentFile.mkdirs(); bad.bytes = [2] as byte[]
new File(bad.parentFile, 'model_metadata.json').text = '{"name": "bad", "version": "1"}\n'
// checksums of every input file, for the "nothing changed" check in verify.groovy
io.github.migrationsafety.testsupport.ItFixture.recordFiles(basedir)
true
