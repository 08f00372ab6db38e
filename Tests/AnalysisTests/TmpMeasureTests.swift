import XCTest
import Foundation
import FaceDetection
import VideoIO

final class TmpMeasureTests: XCTestCase {
    func gray(_ path: String) throws -> GrayImage { try StillImage.decodeGray(contentsOf: URL(fileURLWithPath: path)) }

    func testMeasureMedia() throws {
        let (_, net) = try BlazeFaceWeights.loadInstalled()
        let haar = try CascadeDetector(contentsOf: Cascade.defaultHaarURL, threadCount: 1)
        for tiles in [false, true] {
            let bf = BlazeFaceDetector(network: net, configuration: .init(minimumFaceSide: tiles ? 36 : 0))
            for dir in ["sf", "fn", "mf"] {
                let files = try FileManager.default.contentsOfDirectory(atPath: "/tmp/frames/\(dir)").sorted()
                var line = "\(dir) tiles=\(tiles): "
                var hline = "\(dir) haar: "
                var t0 = Date()
                var n = 0
                for f in files {
                    let img = try gray("/tmp/frames/\(dir)/\(f)")
                    let faces = bf.faces(in: img.pixels, width: img.width, height: img.height)
                    line += "\(faces.count)[" + faces.map { "\($0.box.width)@\(String(format: "%.2f", $0.score!))" }.joined(separator: ",") + "] "
                    n += 1
                }
                let ms = Date().timeIntervalSince(t0) / Double(n) * 1000
                t0 = Date()
                for f in files where !tiles {
                    let img = try gray("/tmp/frames/\(dir)/\(f)")
                    let p = try DetectionParameters(minSize: PixelSize(width: img.height / 10, height: img.height / 10))
                    let faces = haar.detect(pixels: img.pixels, width: img.width, height: img.height, parameters: p)
                    hline += "\(faces.count)[" + faces.map { "\($0.box.width)" }.joined(separator: ",") + "] "
                }
                print(line, String(format: "%.1f ms/frame", ms))
                if !tiles { print(hline) }
            }
        }
    }

    func testSizeSensitivity() throws {
        let (_, net) = try BlazeFaceWeights.loadInstalled()
        let bf = BlazeFaceDetector(network: net, configuration: .init())
        let root = "/work/shared/data/fer2013/val"
        var files: [String] = []
        for c in try FileManager.default.contentsOfDirectory(atPath: root).sorted() {
            files += try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(c)").sorted().map { "\(root)/\(c)/\($0)" }
        }
        files = stride(from: 0, to: files.count, by: 20).map { files[$0] }
        for s in [10, 14, 18, 22, 28, 36, 48, 64] {
            var hit = 0
            for f in files {
                let img = try gray(f)
                let face = FaceCrop.extract(pixels: img.pixels, width: 48, height: 48, box: FaceBox(x: 0, y: 0, width: 48, height: 48), outputSize: s)
                var canvas = [UInt8](repeating: 128, count: 128 * 128)
                let o = (128 - s) / 2
                for y in 0..<s { for x in 0..<s { canvas[(y + o) * 128 + x + o] = face[y * s + x] } }
                if !bf.faces(in: canvas, width: 128, height: 128).isEmpty { hit += 1 }
            }
            print("face side \(s) in 128: \(hit)/\(files.count)")
        }
    }

    func testMargin() throws {
        let (_, net) = try BlazeFaceWeights.loadInstalled()
        let bf = BlazeFaceDetector(network: net, configuration: .init())
        let root = "/work/shared/data/fer2013/val"
        var files: [String] = []
        for c in try FileManager.default.contentsOfDirectory(atPath: root).sorted() {
            files += try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(c)").sorted().map { "\(root)/\(c)/\($0)" }
        }
        files = stride(from: 0, to: files.count, by: 10).map { files[$0] }
        var margins: [Double] = [], ratios: [Double] = [], dxs: [Double] = [], dys: [Double] = []
        for f in files {
            let img = try gray(f)
            let big = FaceCrop.extract(pixels: img.pixels, width: 48, height: 48, box: FaceBox(x: 0, y: 0, width: 48, height: 48), outputSize: 192)
            var canvas = [UInt8](repeating: 128, count: 384 * 384)
            for y in 0..<192 { for x in 0..<192 { canvas[(y + 96) * 384 + x + 96] = big[y * 192 + x] } }
            let faces = bf.faces(in: canvas, width: 384, height: 384)
            guard faces.count == 1 else { continue }
            let b = faces[0].box
            let side = Double(max(b.width, b.height)) / 4
            margins.append((48 - side) / (2 * side))
            ratios.append(Double(b.width) / Double(b.height))
            dxs.append((b.centerX - 192) / 4); dys.append((b.centerY - 192) / 4)
        }
        func q(_ a: [Double], _ p: Double) -> Double { let s = a.sorted(); return s[Int(Double(s.count - 1) * p)] }
        print("margin: \(margins.count) of \(files.count): median \(q(margins, 0.5)) quartiles \(q(margins, 0.25)) \(q(margins, 0.75)); w/h median \(q(ratios, 0.5)); centre offset dx \(q(dxs, 0.5)) dy \(q(dys, 0.5)) (FER px)")
    }
}
