import Foundation
@testable import NeuralNet
import XCTest

/// `Compute.parallel` runs on the engine's own helper threads: every iteration exactly once, from any number
/// of threads at once, nested, and from threads that exit right after.
final class WorkerPoolTests: XCTestCase {
    /// Each of `count` iterations runs once, whatever the count (slots are written by one iteration each).
    func testEveryIterationRunsOnce() {
        for count in [0, 1, 2, 3, 7, 16] {
            var runs = [Int](repeating: 0, count: count)
            runs.withUnsafeMutableBufferPointer { slots in
                let base = slots
                WorkerPool.shared.run(count) { i in base[i] += 1 }
            }
            XCTAssertEqual(runs, [Int](repeating: 1, count: count), "count \(count)")
        }
    }

    /// Four threads split work at once, each iteration splitting again (5 × 3 inner iterations); every thread
    /// gets its own sums: Σ over i < 5, j < 3 of (t + 1)·(10·i + j) = (t + 1)·(3·10·10 + 5·3) = (t + 1)·315.
    func testConcurrentAndNestedCalls() {
        let threads = 4
        let sums = Sums(count: threads)
        let group = DispatchGroup()
        for t in 0..<threads {
            group.enter()
            let thread = Thread {
                for _ in 0..<50 {
                    var parts = [Int](repeating: 0, count: 5)
                    parts.withUnsafeMutableBufferPointer { outer in
                        let outerBase = outer
                        Compute.parallel(5) { i in
                            var inner = [Int](repeating: 0, count: 3)
                            inner.withUnsafeMutableBufferPointer { slots in
                                let base = slots
                                Compute.parallel(3) { j in base[j] = (t + 1) * (10 * i + j) }
                            }
                            outerBase[i] = inner.reduce(0, +)
                        }
                    }
                    sums.set(t, parts.reduce(0, +))
                }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        XCTAssertEqual(sums.values, (0..<threads).map { ($0 + 1) * 315 })
    }

    /// Threads that split work, make a synchronous dispatch call (as a GRDB write does) and exit, as the
    /// analysis threads do; 300 of them in turn, each with its own result (the stage-level check that used to
    /// crash is `ClassificationStageTests.testManyStagesInTurn`).
    func testShortLivedThreadsThatAlsoUseDispatch() {
        let queue = DispatchQueue(label: "store")
        var total = 0
        for round in 0..<300 {
            let done = DispatchSemaphore(value: 0)
            let result = Sums(count: 1)
            let thread = Thread {
                var values = [Int](repeating: 0, count: 2)
                values.withUnsafeMutableBufferPointer { slots in
                    let base = slots
                    Compute.parallel(2) { w in base[w] = round + w }
                }
                queue.sync { result.set(0, values.reduce(0, +)) }
                done.signal()
            }
            thread.start()
            done.wait()
            total += result.values[0]
        }
        XCTAssertEqual(total, (0..<300).reduce(0) { $0 + 2 * $1 + 1 })   // Σ (round + round + 1)
    }

    private final class Sums: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Int]
        init(count: Int) { slots = [Int](repeating: 0, count: count) }
        func set(_ i: Int, _ value: Int) { lock.lock(); slots[i] = value; lock.unlock() }
        var values: [Int] { lock.lock(); defer { lock.unlock() }; return slots }
    }
}
