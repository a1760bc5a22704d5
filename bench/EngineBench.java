import io.github.migrationsafety.report.EngineLog;
import io.github.migrationsafety.sidecar.SidecarConfig;
import io.github.migrationsafety.sidecar.SidecarResult;
import io.github.migrationsafety.sidecar.SidecarVerifier;
import io.github.migrationsafety.sidecar.SigningKey;
import io.github.migrationsafety.sidecar.SigningMode;
import java.nio.file.Path;
import java.util.Map;

/**
 * Engine-only run of the sidecars check (no Maven start-up): java EngineBench <modelsDirectory> <threads>.
 * Prints the report's hashing figures, as the plugin writes them to sidecars-report.json, on one line:
 * {@code filesHashed=8 bytesHashed=2147483648 hashingNanos=1234567890 hashingMiBPerSecond=1658.9}.
 */
public class EngineBench {
    public static void main(String[] args) throws Exception {
        SidecarConfig config = new SidecarConfig(
                Path.of(args[0]),
                null,
                null,
                SidecarConfig.DEFAULT_SUFFIX,
                SigningMode.REQUIRED,
                SigningKey.fromEnvironment(SidecarConfig.DEFAULT_KEY_ENV, System::getenv),
                null,
                null,
                Integer.parseInt(args[1]),
                null,
                null);
        SidecarResult report = new SidecarVerifier(config, EngineLog.silent()).run();
        if (!report.passed()) {
            System.err.println("check failed: " + report.errors().size() + " problem(s)");
            System.exit(1);
        }
        Map<String, Object> summary = report.summary();
        System.out.println("filesHashed=" + summary.get("filesHashed") + " bytesHashed=" + summary.get("bytesHashed")
                + " hashingNanos=" + summary.get("hashingNanos") + " hashingMiBPerSecond="
                + summary.get("hashingMiBPerSecond"));
    }
}
