import XCTest
@testable import Analysis

final class BoundedQueueTests: XCTestCase {
    /// A popped item is released at once, not kept by the queue's storage (frames are 230 kB each).
    func testPoppedItemsAreReleased() {
        final class Item {}
        let queue = BoundedQueue<Item>(capacity: 4)
        weak var first: Item?
        do {
            let item = Item()
            first = item
            queue.push(item)
            queue.push(Item())
        }
        XCTAssertNotNil(first)
        _ = queue.pop()
        XCTAssertNil(first)
    }

    /// Items come out in order, and a producer never gets more than `capacity` items ahead.
    func testOrderAndCapacity() {
        let queue = BoundedQueue<Int>(capacity: 3)
        let ahead = MaxTracker()
        let produced = Counter()
        let done = expectation(description: "producer finished")
        Thread.detachNewThread {
            for i in 0..<200 {
                queue.push(i)
                produced.increment()
            }
            queue.close()
            done.fulfill()
        }
        var received: [Int] = []
        while let item = queue.pop() {
            received.append(item)
            // Pushes done minus pops done; a blocked push has not counted yet.
            ahead.record(produced.value - received.count)
            if item % 7 == 0 { usleep(200) }
        }
        wait(for: [done], timeout: 10)
        XCTAssertEqual(received, Array(0..<200))
        XCTAssertLessThanOrEqual(ahead.maximum, 3)
    }

    /// After `close()`, pushes are refused, pops drain what is left and then return nil.
    func testCloseDrainsThenEnds() {
        let queue = BoundedQueue<String>(capacity: 4)
        XCTAssertTrue(queue.push("a"))
        XCTAssertTrue(queue.push("b"))
        queue.close()
        XCTAssertFalse(queue.push("c"))
        XCTAssertEqual(queue.pop(), "a")
        XCTAssertEqual(queue.pop(), "b")
        XCTAssertNil(queue.pop())
    }

    /// `close()` wakes a producer blocked on a full queue.
    func testCloseWakesABlockedProducer() {
        let queue = BoundedQueue<Int>(capacity: 1)
        queue.push(1)
        let refused = expectation(description: "blocked push returns false")
        Thread.detachNewThread {
            if !queue.push(2) { refused.fulfill() }
        }
        usleep(50_000)
        queue.close()
        wait(for: [refused], timeout: 5)
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func increment() { lock.lock(); count += 1; lock.unlock() }
}

private final class MaxTracker {
    private(set) var maximum = Int.min
    func record(_ value: Int) { maximum = max(maximum, value) }
}
