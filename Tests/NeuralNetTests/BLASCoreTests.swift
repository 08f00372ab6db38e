import XCTest
@testable import NeuralNet

/// OpenBLAS core re-selection for CPUs the library does not know (`BLASCore`).
final class BLASCoreTests: XCTestCase {
    private func flags(_ line: String) -> Set<Substring> { Set(line.split(separator: " ")) }

    func testGenericFallbackIsReplacedByTheWidestKernelsTheFlagsAllow() {
        let avx512 = flags("fpu sse sse2 ssse3 sse4_1 sse4_2 avx fma avx2 avx512f avx512dq avx512cd avx512bw avx512vl")
        XCTAssertEqual(BLASCore.replacement(forChosen: "Prescott", flags: avx512), "SkylakeX")
        XCTAssertEqual(BLASCore.replacement(forChosen: "Prescott", flags: flags("sse2 avx fma avx2")), "Haswell")
        // AVX-512 without VL (Xeon Phi) is not SkylakeX; AVX2 without FMA is not Haswell.
        XCTAssertEqual(BLASCore.replacement(forChosen: "Prescott", flags: flags("avx2 fma avx512f avx512cd")), "Haswell")
        XCTAssertNil(BLASCore.replacement(forChosen: "Prescott", flags: flags("sse2 sse3 avx avx2")))
        XCTAssertNil(BLASCore.replacement(forChosen: "Prescott", flags: []))
    }

    func testARecognisedCoreIsKept() {
        let avx512 = flags("avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl")
        XCTAssertNil(BLASCore.replacement(forChosen: "Haswell", flags: avx512))
        XCTAssertNil(BLASCore.replacement(forChosen: "SkylakeX", flags: avx512))
        XCTAssertNil(BLASCore.replacement(forChosen: "Zen", flags: avx512))
    }

    /// On a CPU with AVX2/AVX-512 the products never run on the generic kernels (unless the user forced a core).
    func testProductsRunOnTheReplacementCore() throws {
        try XCTSkipIf(getenv("OPENBLAS_CORETYPE") != nil, "OPENBLAS_CORETYPE is set")
        let expected = BLASCore.replacement(forChosen: "Prescott", flags: BLASCore.cpuFlags())
        try XCTSkipIf(expected == nil, "this CPU has neither AVX-512 nor AVX2 with FMA")
        Compute.prepareBLAS()
        XCTAssertNotEqual(BLASCore.current.lowercased(), "prescott")
        XCTAssertTrue(BLASInfo.openBLASConfig.contains(BLASCore.current), BLASInfo.openBLASConfig)
    }
}
