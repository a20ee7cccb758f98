package io.rollcall.token;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes secrets (private keys, tokens) so that only the file's owner can read them, at no moment otherwise. */
public final class SecretFiles {

    private SecretFiles() {
    }

    /** Creates a sibling temporary file with mode 600, writes it, and moves it over {@code target} atomically. */
    public static void writeOwnerOnly(Path target, String content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            temporary = Files.createTempFile(directory, ".secret", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            temporary = Files.createTempFile(directory, ".secret", ".tmp");
        }
        try {
            Files.writeString(temporary, content);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
