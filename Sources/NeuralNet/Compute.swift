import COpenBLAS
import Dispatch
import Foundation

/// Engine-wide compute settings: how many threads the layers use.
///
/// The engine runs its own worker threads (one work item per thread, statically partitioned, so results
/// are bit-identical for a fixed thread count) and keeps OpenBLAS itself single-threaded: each worker calls
/// `cblas_sgemm` on its own slice, so the im2col, BatchNorm and pooling passes run in parallel too and no
/// idle OpenBLAS threads spin against the workers.
public enum Compute {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var configuredThreads: Int = defaultThreadCount
    private static let blasSetup: Void = {
        BLASCore.upgradeIfGeneric()
        openblas_set_num_threads(1)
    }()

    /// All cores of this machine (the default thread count).
    public static var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Worker threads used by every layer (≥ 1; defaults to all cores). Results are deterministic for a fixed
    /// thread count; different thread counts may differ in the last bits.
    public static var threadCount: Int {
        get { lock.lock(); defer { lock.unlock() }; return configuredThreads }
        set { lock.lock(); configuredThreads = max(1, newValue); lock.unlock() }
    }

    /// Makes sure OpenBLAS is single-threaded and runs kernels for this CPU (`BLASCore`) before the first product
    /// (idempotent, cheap).
    @inline(__always) static func prepareBLAS() { _ = blasSetup }

    /// Runs `body(worker)` for `worker` in `0..<count`, in parallel when `count > 1`: on the calling thread and
    /// the engine's own helper threads (`WorkerPool`), safe to call from any thread, short-lived ones included.
    @inline(__always)
    public static func parallel(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 { body(0); return }
        WorkerPool.shared.run(count, body)
    }

    /// Splits `0..<total` into `parts` contiguous ranges of near-equal size (the first ones one longer).
    @inline(__always)
    public static func range(_ part: Int, of parts: Int, total: Int) -> Range<Int> {
        let base = total / parts, extra = total % parts
        let start = part * base + min(part, extra)
        return start..<(start + base + (part < extra ? 1 : 0))
    }
}

/// Thin wrappers over `cblas_sgemm` (row-major).
enum BLAS {
    /// Products with at most this many columns run as one `sgemv` per column.
    static let gemvColumns = 4
    /// `C[M×N] = alpha · op(A) · op(B) + beta · C`, row-major, single call on the current thread.
    @inline(__always)
    static func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                     alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int,
                     beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        Compute.prepareBLAS()
        if n <= Self.gemvColumns {
            // A product with very few columns (a batch of one through the late layers): sgemv per column streams
            // A once per column instead of packing all of it, which costs more than the arithmetic here.
            for j in 0..<n {
                cblas_sgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, Int32(transA ? k : m), Int32(transA ? m : k),
                            alpha, a, Int32(lda), transB ? b + j * ldb : b + j, Int32(transB ? 1 : ldb), beta, c + j, Int32(ldc))
            }
            return
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The same product split over `threads` workers along the rows of C (when M is the larger side) or its
    /// columns; each worker computes a disjoint block, so the result does not depend on scheduling.
    static func parallelGemm(threads: Int, transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                             alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let flops = 2 * m * n * k
        let workers = flops < 400_000 ? 1 : min(threads, max(1, max(m, n) / 16))
        if workers <= 1 {
            gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                 b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        if m >= n {
            Compute.parallel(workers) { w in
                let r = Compute.range(w, of: workers, total: m)
                let aPart = transA ? a + r.lowerBound : a + r.lowerBound * lda
                gemm(transA: transA, transB: transB, m: r.count, n: n, k: k, alpha: alpha, a: aPart, lda: lda,
                     b: b, ldb: ldb, beta: beta, c: c + r.lowerBound * ldc, ldc: ldc)
            }
        } else {
            Compute.parallel(workers) { w in
                let r = Compute.range(w, of: workers, total: n)
                let bPart = transB ? b + r.lowerBound * ldb : b + r.lowerBound
                gemm(transA: transA, transB: transB, m: m, n: r.count, k: k, alpha: alpha, a: a, lda: lda,
                     b: bPart, ldb: ldb, beta: beta, c: c + r.lowerBound, ldc: ldc)
            }
        }
    }
}
