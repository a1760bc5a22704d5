import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log =~ /\[INFO\] Connected to H2 2\.\S+ .* at jdbc:h2:file:.* as SA; schema PUBLIC has 1 tables/
assert log.contains('[INFO] BUILD SUCCESS')

def reports = new File(basedir, 'target/migration-safety')
def json = new JsonSlurper().parse(new File(reports, 'connect-report.json'))
assert json.goal == 'connect'
assert json.status == 'passed'
assert json.summary.tables == 1
assert json.checks*.name == ['PUBLIC.MODEL_METADATA']
def junit = new groovy.xml.XmlSlurper().parse(new File(reports, 'TEST-migration-safety-connect.xml'))
assert junit.@tests == '1'
assert junit.@failures == '0'
assert new File(reports, 'connect-summary.md').text.startsWith('### migration-safety:connect — ✅ passed')
def sarif = new JsonSlurper().parse(new File(reports, 'connect.sarif'))
assert sarif.version == '2.1.0'
assert sarif.runs[0].tool.driver.name == 'migration-safety-maven-plugin'
assert sarif.runs[0].originalUriBaseIds.PROJECT_ROOT.uri == basedir.toPath().toUri().toString()
assert sarif.runs[0].results == []
