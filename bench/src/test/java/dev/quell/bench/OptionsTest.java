package dev.quell.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {

    @TempDir
    Path directory;

    @Test
    void variantWithOptionsAndEnvironment() throws Exception {
        Path jar = Files.createFile(directory.resolve("function.jar"));

        var variant = Options.variant("c1=" + jar + "|-XX:TieredStopAtLevel=1 -Xshare:auto|QUELL_PRIME=false A=b");

        assertThat(variant.name()).isEqualTo("c1");
        assertThat(variant.jar()).isEqualTo(jar.toAbsolutePath());
        assertThat(variant.javaToolOptions()).isEqualTo("-XX:TieredStopAtLevel=1 -Xshare:auto");
        assertThat(variant.environment()).isEqualTo(Map.of("QUELL_PRIME", "false", "A", "b"));
    }

    @Test
    void variantWithJarOnly() throws Exception {
        Path jar = Files.createFile(directory.resolve("function.jar"));

        var variant = Options.variant("plain=" + jar);

        assertThat(variant.javaToolOptions()).isEmpty();
        assertThat(variant.environment()).isEmpty();
    }

    @Test
    void variantWithMissingJarIsRejected() {
        assertThatThrownBy(() -> Options.variant("x=" + directory.resolve("absent.jar")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }
}
