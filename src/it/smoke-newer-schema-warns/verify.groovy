import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

// one warning for the schema the plugin's Liquibase does not have, naming it; the changelog still runs
assert log =~ /\[WARNING\] db\/changelog\/db\.changelog-master\.xml: the changelog names the schema dbchangelog-5\.0\.xsd, newer than the Liquibase 4\.\d+\.\d+ the smoke runs; its files were checked against Liquibase 4\.\d+\.\d+'s latest schema, and a change type or attribute added since fails the parse \[smoke\.newer-changelog-schema\] Fix: /
assert log.count('[smoke.newer-changelog-schema]') == 1
assert !log.contains('Unable to resolve xml entity')
assert log =~ /\[INFO\] H2: 2 changesets applied in \d+ ms/
assert log.contains('[INFO] BUILD SUCCESS')
def json = new JsonSlurper().parse(new File(basedir, 'target/migration-safety/smoke-report.json'))
assert json.status == 'passed'
assert json.findings*.rule == ['smoke.newer-changelog-schema']
assert json.summary.changesets*.h2*.status == ['passed', 'passed']
