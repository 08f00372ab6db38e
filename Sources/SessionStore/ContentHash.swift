import Crypto
import Foundation

/// The content hash that identifies a session: the hex SHA-256 of the file's bytes (FIPS 180-4), as
/// `sha256sum` prints it. Streams the file in 4 MiB chunks, so memory stays flat for long recordings;
/// the digest is swift-crypto's (BoringSSL, with the CPU's SHA instructions where it has them: about
/// 1 GB/s, so an hour-long 2 GB recording is hashed in ~2 s rather than the ~30 s of a plain Swift loop).
public enum ContentHash {
    /// The hex SHA-256 of the file at `url`.
    /// - Throws: `StoreError.invalidInput` naming the file when it cannot be read.
    public static func sha256(fileAt url: URL) throws -> String {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw StoreError.invalidInput("\(url.path): cannot read the file to hash it")
        }
        defer { try? handle.close() }
        // One buffer reused for every chunk: no allocation, page faults or copies per chunk.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 22, alignment: 64)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        while true {
            let count = read(handle.fileDescriptor, buffer.baseAddress, buffer.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw StoreError.invalidInput("\(url.path): read error while hashing (\(reason))")
            }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        return hex(hasher.finalize())
    }

    /// The hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    private static func hex(_ digest: SHA256Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
