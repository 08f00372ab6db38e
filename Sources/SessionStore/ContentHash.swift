import COpenSSL
import FileNames
import Foundation

/// The content hash that identifies a session: the hex SHA-256 of the file's bytes (FIPS 180-4), as
/// `sha256sum` prints it. Streams the file through one reused 4 MiB buffer, so memory stays flat for long
/// recordings. The digest is OpenSSL's (libcrypto, with the CPU's SHA instructions where it has them:
/// about 1 GB/s, so an hour-long 2 GB recording is hashed in a few seconds).
public enum ContentHash {
    /// The hex SHA-256 of the file at `url`.
    /// - Throws: `StoreError.invalidInput` naming the file when it cannot be read.
    public static func sha256(fileAt url: URL) throws -> String {
        let fd = RawFileSystem.openForReading(url.path)     // the name's own bytes, UTF-8 or not
        guard fd >= 0 else {
            throw StoreError.invalidInput("\(RawFileName.displayed(url.path)): cannot read the file to hash it")
        }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 22, alignment: 64)
        defer { buffer.deallocate() }
        var digest = Digest()
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw StoreError.invalidInput("\(RawFileName.displayed(url.path)): read error while hashing (\(reason))")
            }
            digest.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        return digest.finish()
    }

    /// The hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String {
        var digest = Digest()
        data.withUnsafeBytes { digest.update($0) }
        return digest.finish()
    }
}

/// A streaming SHA-256 over libcrypto's EVP interface.
struct Digest: ~Copyable {
    private let context: OpaquePointer

    init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("libcrypto cannot start a SHA-256 digest")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds `bytes` to the digest.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else { fatalError("libcrypto SHA-256 update failed") }
    }

    /// The digest in lowercase hex.
    consuming func finish() -> String {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &length) == 1 else { fatalError("libcrypto SHA-256 final failed") }
        return out.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }
}
