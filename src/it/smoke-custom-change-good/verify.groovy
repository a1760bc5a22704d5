import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains('[INFO] BUILD SUCCESS')
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
assert json.checks.find { it.name == 'table:model_audit' }.outcome == 'passed'
assert json.checks.find { it.group == 'rollback.h2' }.outcome == 'passed'
