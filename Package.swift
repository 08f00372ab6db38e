// swift-tools-version:6.1
// EmoteLab: facial-emotion timelines for recorded usability-test sessions.
import PackageDescription

/// Release builds of numeric modules: no overflow/bounds traps in hot loops is decided per module.
let optimize: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "EmoteLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "emotelab", targets: ["emotelab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        // MARK: System libraries
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // MARK: Modules
        .target(name: "FileNames"),  // file names that are not UTF-8: no dependencies, used by every module that opens files
        .target(name: "SessionStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift"), "COpenSSL", "EmotionModel",
                                                     "FileNames"]),
        .target(name: "Reports", dependencies: ["SessionStore", "FileNames"]),
        .target(name: "VideoIO", dependencies: ["CFFmpeg", "FileNames"]),  // reads untrusted files: keep runtime checks
        .target(name: "NeuralNet", dependencies: ["COpenBLAS"], swiftSettings: optimize),
        .target(name: "EmotionModel", dependencies: ["NeuralNet", "FaceDetection"], resources: [.copy("Models")],
                swiftSettings: optimize),
        .target(name: "FaceDetection", dependencies: ["NeuralNet"], resources: [.copy("Models")], swiftSettings: optimize),
        // Reads untrusted datasets and only assembles batches (the network math is NeuralNet's): keep checks.
        .target(name: "Training", dependencies: ["EmotionModel", "NeuralNet", "VideoIO", "FileNames"]),
        // Highlight clips and the annotated video: cuts and re-encodes recordings, draws on frames.
        .target(name: "Evidence", dependencies: ["CFFmpeg", "SessionStore", "Reports", "FileNames"]),
        .target(name: "Analysis", dependencies: ["VideoIO", "FaceDetection", "EmotionModel", "NeuralNet", "SessionStore",
                                                 "FileNames"]),

        // MARK: Command-line tool
        .executableTarget(name: "emotelab", dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            "SessionStore",
            "Reports",
            "VideoIO",
            "EmotionModel",
            "NeuralNet",
            "Training",
            "Analysis",
            "Evidence",
            "FileNames",
        ]),

        // MARK: Benchmarks
        .executableTarget(name: "face-bench", dependencies: ["FaceDetection"], path: "Benchmarks/FaceBench",
                          swiftSettings: optimize),
        .executableTarget(name: "detection-bench", dependencies: ["FaceDetection", "VideoIO"],
                          path: "Benchmarks/DetectionBench", swiftSettings: optimize),
        .executableTarget(name: "train-speed", dependencies: ["Training", "EmotionModel", "NeuralNet"],
                          path: "Benchmarks/TrainSpeed"),

        // MARK: Tests
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "emotelabTests", dependencies: ["emotelab", "TestSupport", "SessionStore", "VideoIO", "EmotionModel", "Training"]),
        .testTarget(name: "FileNamesTests", dependencies: ["FileNames", "TestSupport"]),
        .testTarget(name: "SessionStoreTests", dependencies: ["SessionStore", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "SessionStore", "TestSupport"]),
        .testTarget(name: "VideoIOTests", dependencies: ["VideoIO", "TestSupport"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TestSupport"]),
        .testTarget(name: "EmotionModelTests", dependencies: ["EmotionModel", "NeuralNet", "TestSupport"]),
        .testTarget(name: "FaceDetectionTests", dependencies: ["FaceDetection", "NeuralNet", "TestSupport"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "SessionStore", "FaceDetection", "VideoIO", "TestSupport"]),
        .testTarget(name: "EvidenceTests", dependencies: ["Evidence", "Reports", "SessionStore", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "EmotionModel", "NeuralNet", "TestSupport", "FileNames"]),
    ],
    swiftLanguageModes: [.v5]
)
