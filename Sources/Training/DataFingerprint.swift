import Foundation

/// Identifies the data a run trains on (image counts and a hash of every byte and label), so `--resume`
/// can refuse a checkpoint made on other data.
public struct DataFingerprint: Codable, Equatable, Sendable {
    public var trainImages: Int
    public var trainHash: String
    public var valImages: Int
    public var valHash: String

    public init(train: ImageDataset, val: ImageDataset?) {
        trainImages = train.count
        trainHash = Self.hash(train)
        valImages = val?.count ?? 0
        valHash = val.map(Self.hash) ?? "none"
    }

    /// FNV-1a (64-bit) over the side, the labels and the pixels, as 16 hex digits.
    static func hash(_ dataset: ImageDataset) -> String {
        var h = FNV1a()
        h.add(UInt64(dataset.side))
        for label in dataset.labels { h.add(UInt64(label)) }
        dataset.pixels.withUnsafeBufferPointer { h.add($0) }
        return h.hex
    }
}

/// The 64-bit FNV-1a hash, for fingerprints of data and model files (not for security).
struct FNV1a {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        var h = value
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        value = h
    }

    mutating func add(_ word: UInt64) {
        withUnsafeBytes(of: word.littleEndian) { add($0.bindMemory(to: UInt8.self)) }
    }

    var hex: String { String(format: "%016llx", value) }

    /// `<file name> fnv1a:<hash of its bytes>`: names a model file by content.
    static func describe(file url: URL) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw TrainingError(url, "cannot read the file (\(error.localizedDescription))")
        }
        var h = FNV1a()
        data.withUnsafeBytes { h.add($0.bindMemory(to: UInt8.self)) }
        return "\(url.lastPathComponent) fnv1a:\(h.hex)"
    }
}
