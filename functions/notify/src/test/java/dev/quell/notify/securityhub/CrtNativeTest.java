package dev.quell.notify.securityhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.crt.CRT;

/**
 * Checks the AWS CRT native library that the Security Hub client needs: it loads on this machine, and the jar
 * carries the glibc builds for both Lambda architectures (x86_64 and arm64).
 */
class CrtNativeTest {

    /** ELF {@code e_machine} values: x86-64 is 62, AArch64 is 183. */
    private static final short X86_64 = 62;
    private static final short AARCH64 = 183;

    @Test
    void nativeLibrary_loadsHere() {
        new CRT();

        assertThat(CRT.getOSIdentifier()).isNotBlank();
        assertThat(CRT.getArchIdentifier()).isNotBlank();
    }

    @Test
    void jar_carriesLinuxX8664Build() throws Exception {
        assertThat(elfMachine("/linux/x86_64/glibc/libaws-crt-jni.so")).isEqualTo(X86_64);
    }

    @Test
    void jar_carriesLinuxArm64Build() throws Exception {
        assertThat(elfMachine("/linux/armv8/glibc/libaws-crt-jni.so")).isEqualTo(AARCH64);
    }

    private static short elfMachine(String resource) throws Exception {
        try (InputStream in = CRT.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource + " in the aws-crt jar").isNotNull();
            byte[] header = in.readNBytes(20);
            assertThat(header).startsWith(0x7f, 'E', 'L', 'F');
            return ByteBuffer.wrap(header, 18, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        }
    }
}
