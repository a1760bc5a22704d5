def log = new File(basedir, 'build.log').text
println log.readLines().findAll { it.startsWith('[ERROR] Failed') }.join('\n')
assert log.contains('XXX')
