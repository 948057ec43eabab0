package dev.quell.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import software.amazon.awscdk.services.lambda.Code;

/**
 * Supplies each function's deployment package. The app uses the shaded jars the function modules build; tests
 * pass a small placeholder so that they synthesize without building every function first.
 */
@FunctionalInterface
public interface FunctionCode {

    /**
     * Returns the code asset of one function.
     *
     * @throws MissingJarException when the function's jar has not been built
     */
    Code codeFor(FunctionSpec spec);

    /** Returns code from each function's shaded jar under {@code repositoryRoot}, as built by {@code mvn package}. */
    static FunctionCode fromJars(Path repositoryRoot) {
        String version = projectVersion();
        return spec -> {
            Path jar = repositoryRoot.resolve(spec.jarPath(version));
            if (!Files.isRegularFile(jar)) {
                throw new MissingJarException("the jar of function " + spec.functionName() + " was not found at "
                        + jar + "; build it from the repository root with: " + spec.buildCommand());
            }
            return Code.fromAsset(jar.toString());
        };
    }

    /**
     * Returns the repository root: the nearest directory at or above {@code start} that contains both
     * {@code pom.xml} and {@code functions/}.
     *
     * @throws IllegalStateException when no such directory exists, so the jars cannot be located
     */
    static Path findRepositoryRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("functions"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no Quell repository root (a directory with pom.xml and functions/) at or"
                + " above " + start.toAbsolutePath() + "; run the CDK app from the infra directory");
    }

    /** Returns the Maven project version this app was built at, which names the jars. */
    private static String projectVersion() {
        Properties properties = new Properties();
        try (InputStream in = FunctionCode.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the class path; build the app"
                        + " with Maven so that resource filtering writes it");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read build.properties", e);
        }
        return properties.getProperty("version");
    }

    /** Raised when a function's deployment jar does not exist yet. */
    final class MissingJarException extends RuntimeException {

        public MissingJarException(String message) {
            super(message);
        }
    }
}
