import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains('[INFO] BUILD SUCCESS')
def lines = new File(basedir, 'src/main/liquibase/released-checksums.txt').readLines()
assert lines.size() == 4
assert lines[2] ==~ /9:[0-9a-f]{32} db\/changelog\/db\.changelog-master\.yaml::create-model-metadata::alice/
assert lines[3] ==~ /9:[0-9a-f]{32} db\/changelog\/db\.changelog-master\.yaml::unique-name-version::alice/
