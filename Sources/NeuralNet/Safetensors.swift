import Foundation

/// A problem reading or writing a safetensors file; the description is one line naming the file and, where
/// it applies, the tensor.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The safetensors format: an 8-byte little-endian header length, a JSON header
/// (`{"__metadata__": {string: string}, "<name>": {"dtype", "shape", "data_offsets": [begin, end]}}`) and the
/// little-endian tensor bytes, with offsets relative to the end of the header.
///
/// Reading accepts F32, F16, BF16, F64 and I64 tensors (all converted to Float32) and validates every
/// header entry against the file: unknown dtypes, sizes that disagree with the shape, offsets outside the data
/// or overlapping each other, and truncated files are errors naming the tensor. Writing stores F32 or F16
/// (and I64 for the named integer buffers), sorted by name, with the header padded to 8 bytes.
public struct SafetensorsFile: Sendable, Equatable {
    /// Element types in a file.
    public enum DType: String, Sendable, CaseIterable {
        case f32 = "F32", f16 = "F16", bf16 = "BF16", f64 = "F64", i64 = "I64"
        var size: Int { switch self { case .f16, .bf16: 2; case .f32: 4; case .f64, .i64: 8 } }
    }

    /// The tensors by name, converted to Float32.
    public var tensors: [String: Tensor]
    /// The `__metadata__` block (string to string).
    public var metadata: [String: String]
    /// The element type each tensor had in the file it was read from (empty for a file built in memory).
    public var storedTypes: [String: DType] = [:]

    public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and validates a file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw SafetensorsError("\(url.path): cannot read file (\(error.localizedDescription))")
        }
        try self.init(data: data, source: url.path)
    }

    /// Parses file contents; `source` names the file in error messages.
    public init(data: Data, source: String) throws {
        func fail(_ message: String) -> SafetensorsError { SafetensorsError("\(source): \(message)") }
        guard data.count >= 8 else { throw fail("not a safetensors file (only \(data.count) bytes)") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength >= 2, headerLength <= UInt64(data.count - 8) else {
            throw fail("header length \(headerLength) does not fit the \(data.count)-byte file (truncated or not safetensors)")
        }
        let headerEnd = 8 + Int(headerLength)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<headerEnd)) } catch {
            throw fail("header is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw fail("header is not a JSON object") }
        let dataLength = data.count - headerEnd
        var metadata: [String: String] = [:]
        var tensors: [String: Tensor] = [:]
        var types: [String: DType] = [:]
        var ranges: [(Int, Int, String)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let dict = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (k, v) in dict {
                    guard let s = v as? String else { throw fail("metadata value \(k) is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let entry = value as? [String: Any] else { throw fail("tensor \(name): header entry is not an object") }
            guard let dtypeName = entry["dtype"] as? String else { throw fail("tensor \(name): missing dtype") }
            guard let dtype = DType(rawValue: dtypeName) else { throw fail("tensor \(name): unsupported dtype \(dtypeName)") }
            guard let shapeValues = entry["shape"] as? [Any], let shape = intArray(shapeValues), shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("tensor \(name): shape is not a list of non-negative integers")
            }
            guard let offsetValues = entry["data_offsets"] as? [Any], let offsets = intArray(offsetValues), offsets.count == 2 else {
                throw fail("tensor \(name): data_offsets is not [begin, end]")
            }
            let (begin, end) = (offsets[0], offsets[1])
            let (count, overflow) = shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d); return (p, acc.1 || o)
            }
            guard !overflow, count <= Int.max / 8 else { throw fail("tensor \(name): shape \(shape) is too large") }
            guard begin >= 0, end >= begin, end <= dataLength else {
                throw fail("tensor \(name): data_offsets [\(begin), \(end)] outside the \(dataLength)-byte data (file truncated or header lies)")
            }
            guard end - begin == count * dtype.size else {
                throw fail("tensor \(name): \(end - begin) bytes for shape \(shape) of \(dtypeName) (needs \(count * dtype.size))")
            }
            ranges.append((begin, end, name))
            types[name] = dtype
            tensors[name] = data.withUnsafeBytes { raw in
                Tensor(shape: shape, storage: decode(raw.baseAddress! + headerEnd + begin, count: count, dtype: dtype))
            }
        }
        ranges.sort { $0.0 < $1.0 }
        for i in ranges.indices.dropFirst() where ranges[i].0 < ranges[i - 1].1 {
            throw fail("tensor \(ranges[i].2): data overlaps tensor \(ranges[i - 1].2)")
        }
        self.tensors = tensors
        self.metadata = metadata
        self.storedTypes = types
    }

    /// The file bytes: tensors in `dtype` (`.f32` or `.f16`), except `int64Names`, stored as I64.
    public func serialized(dtype: DType = .f32, int64Names: Set<String> = []) throws -> Data {
        guard dtype == .f32 || dtype == .f16 else { throw SafetensorsError("can only write F32 or F16 tensors, not \(dtype.rawValue)") }
        var entries: [String] = []
        var body = Data()
        for name in tensors.keys.sorted() {
            let t = tensors[name]!
            let type: DType = int64Names.contains(name) ? .i64 : dtype
            let begin = body.count
            encode(t.storage, as: type, into: &body)
            entries.append("\(jsonString(name)):{\"dtype\":\"\(type.rawValue)\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(begin),\(body.count)]}")
        }
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            entries.insert("\"__metadata__\":{\(pairs.joined(separator: ","))}", at: 0)
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out = Data(capacity: 8 + header.count + body.count)
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        out.append(body)
        return out
    }

    /// Writes the file atomically.
    public func write(to url: URL, dtype: DType = .f32, int64Names: Set<String> = []) throws {
        let data = try serialized(dtype: dtype, int64Names: int64Names)
        do { try data.write(to: url, options: .atomic) } catch {
            throw SafetensorsError("\(url.path): cannot write file (\(error.localizedDescription))")
        }
    }
}

private func intArray(_ values: [Any]) -> [Int]? {
    var out: [Int] = []
    for v in values {
        guard let n = v as? NSNumber else { return nil }
        let d = n.doubleValue
        guard d == d.rounded(), abs(d) <= 9.0e15 else { return nil }
        out.append(Int(d))
    }
    return out
}

private func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}

private func decode(_ p: UnsafeRawPointer, count: Int, dtype: SafetensorsFile.DType) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buf, initialized in
        switch dtype {
        case .f32: for i in 0..<count { buf[i] = Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case .f16: for i in 0..<count { buf[i] = Float(Float16(bitPattern: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))) }
        case .bf16: for i in 0..<count { buf[i] = Float(bitPattern: UInt32(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
        case .f64: for i in 0..<count { buf[i] = Float(Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
        case .i64: for i in 0..<count { buf[i] = Float(Int64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
        }
        initialized = count
    }
}

private func encode(_ values: [Float], as dtype: SafetensorsFile.DType, into data: inout Data) {
    switch dtype {
    case .f16:
        var bits = values.map { Float16($0).bitPattern.littleEndian }
        bits.withUnsafeMutableBytes { data.append(contentsOf: $0) }
    case .i64:
        var ints = values.map { Int64($0.rounded()).littleEndian }
        ints.withUnsafeMutableBytes { data.append(contentsOf: $0) }
    default:
        var bits = values.map { $0.bitPattern.littleEndian }
        bits.withUnsafeMutableBytes { data.append(contentsOf: $0) }
    }
}
