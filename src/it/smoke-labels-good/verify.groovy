import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains('[INFO] BUILD SUCCESS')
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.summary.labels == '!release-2'
assert json.summary.changesets*.h2*.status == ['passed', 'skipped']
