package io.logflow.api.auth;

import io.logflow.api.config.LogFlowProperties;
import io.logflow.api.web.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * At start, when no admin exists: creates user {@code admin} with {@code LOGFLOW_ADMIN_PASSWORD}, or with a
 * generated password written once to {@code LOGFLOW_ADMIN_PASSWORD_FILE}, readable by its owner only. There is no
 * default password. The log names the file, never the password. Instances starting together create one admin:
 * the database decides ({@link UserStore#insertFirstAdmin}), and only the instance whose insert won writes the file.
 */
@Component
class FirstAdmin implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);
    static final String USERNAME = "admin";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final UserStore users;
    private final Passwords passwords;
    private final LogFlowProperties.Auth settings;

    FirstAdmin(UserStore users, Passwords passwords, LogFlowProperties props) {
        this.users = users;
        this.passwords = passwords;
        this.settings = props.auth();
    }

    @Override
    public void run(ApplicationArguments args) {
        if (Boolean.TRUE.equals(users.adminExists().block(TIMEOUT))) return;
        String given = settings.adminPassword();
        boolean generated = given == null || given.isEmpty();
        String password = generated ? generate() : given;
        try {
            Passwords.validate("LOGFLOW_ADMIN_PASSWORD", password);
        } catch (ApiException e) {
            throw new IllegalStateException("LOGFLOW_ADMIN_PASSWORD is not usable: " + e.getMessage());
        }
        User admin = User.create(USERNAME, passwords.hash(password), Role.ADMIN);
        if (!Boolean.TRUE.equals(users.insertFirstAdmin(admin).block(TIMEOUT))) {
            if (Boolean.TRUE.equals(users.adminExists().block(TIMEOUT))) {
                log.info("another instance created the first admin");
            } else {
                log.warn(
                        "no admin exists and user '{}' is taken by a user who is not one: create an admin by hand",
                        USERNAME);
            }
            return;
        }
        if (!generated) {
            log.info("created the first admin, user '{}', with the password of LOGFLOW_ADMIN_PASSWORD", USERNAME);
            return;
        }
        Path file = settings.adminPasswordFile().toAbsolutePath();
        try {
            writeOwnerOnly(file, password);
        } catch (IOException | RuntimeException e) {
            // nobody could log in as this admin: take it back, so the next start tries again
            users.delete(admin.id()).block(TIMEOUT);
            throw new IllegalStateException(
                    "cannot write the first admin's password to " + file + " (LOGFLOW_ADMIN_PASSWORD_FILE): " + e, e);
        }
        log.warn("created the first admin, user '{}': the first admin's password is in {}", USERNAME, file);
    }

    /** 24 random bytes, base64url: 32 characters. */
    static String generate() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes a new file that only its owner can read (POSIX 600), replacing any older one. */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path dir = file.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            if (posix) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            else Files.createDirectories(dir);
        }
        Files.deleteIfExists(file);
        // created with its permissions, so it is never readable by others, not even for a moment
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    }
}
