package io.logflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalAccessTest {
    @TempDir
    Path home;

    @Test
    void otlpHeaders_percentEncodeTheSpace_andDecodeToTheBearerHeader() {
        String token = "lf_AbC-123_xyz";
        String headers = LocalAccess.otlpHeaders(token);

        assertThat(headers).isEqualTo("Authorization=Bearer%20lf_AbC-123_xyz");
        // Java's agent decodes values with URLDecoder: the header it sends is exactly the bearer one
        String value = headers.substring(headers.indexOf('=') + 1);
        assertThat(URLDecoder.decode(value, StandardCharsets.UTF_8)).isEqualTo("Bearer " + token);
    }

    @Test
    void percentEncode_keepsOnlyUnreservedCharacters() {
        assertThat(LocalAccess.percentEncode("a+b/c=d,e é")).isEqualTo("a%2Bb%2Fc%3Dd%2Ce%20%C3%A9");
        assertThat(LocalAccess.percentEncode("A-z.0_9~")).isEqualTo("A-z.0_9~");
    }

    @Test
    void stringField_readsTopLevelStrings_evenWithEscapes() {
        String login = "{\"access_token\":\"eyJ.a.b\",\"token_type\":\"Bearer\",\"expires_in\":900}";
        assertThat(LocalAccess.stringField(login, "access_token")).contains("eyJ.a.b");
        assertThat(LocalAccess.stringField("{\"id\":\"x\", \"token\" : \"lf_1\\/2\"}", "token"))
                .contains("lf_1/2");
        assertThat(LocalAccess.stringField("{\"name\":\"t\"}", "token")).isEmpty();
    }

    @Test
    void jsonString_escapesQuotesBackslashesAndControls() {
        assertThat(LocalAccess.jsonString("p\"a\\s\ns")).isEqualTo("\"p\\\"a\\\\s\\ns\"");
    }

    @Test
    void adminPassword_fromTheEnvironmentFirst_elseTheServersFile() throws Exception {
        Path file = LocalAccess.adminPasswordFile(home);
        assertThat(LocalAccess.adminPassword(null, file)).isEmpty();

        Files.writeString(file, "generated-secret\n");
        assertThat(LocalAccess.adminPassword(null, file)).contains("generated-secret");
        assertThat(LocalAccess.adminPassword("", file)).contains("generated-secret");
        assertThat(LocalAccess.adminPassword("from-env", file)).contains("from-env");
    }

    @Test
    void writeOwnerOnly_leavesAFileOnlyItsOwnerReads() throws Exception {
        Path file = LocalAccess.ingestTokenFile(home);
        LocalAccess.writeOwnerOnly(file, "lf_token\n");

        assertThat(LocalAccess.ingestToken(home)).contains("lf_token");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix"))
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
    }
}
