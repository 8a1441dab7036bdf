// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A rolling-window spending limit in hour buckets, constant in storage and gas.
///
/// A charge made in hour `h` (= `timestamp / 3600`) counts while the current hour is at most
/// `h + 24`, i.e. for between 24 and 25 hours. Any span of 24 hours touches at most 25 consecutive
/// hours, all of which were counted together when the last charge of the span was made, so the
/// charges inside any 24-hour span never exceed the limit: a stolen key gets at most one limit per
/// day. The price of the hour granularity is that a charge is released up to one hour late.
///
/// To rebuild the usage from events: usage(now) = sum of the charges whose block timestamp `t`
/// has `t / 3600 >= now / 3600 - 24`.
///
/// OpenZeppelin's `RateLimiter.SlidingWindow` is exact to the second but appends a storage slot
/// per charge and searches its history; this keeps 25 buckets (7 slots) whatever the history.
library RollingBudget {
    uint256 internal constant BUCKET_SECONDS = 1 hours;
    uint256 internal constant BUCKETS = 25;

    /// @dev `used` is the sum of `buckets`, and every non-zero bucket belongs to one of the 25 hours
    /// ending at `lastHour` (bucket of hour `h` at index `h % BUCKETS`).
    struct Window {
        uint32 lastHour;
        uint64 used;
        uint64[25] buckets;
    }

    /// @notice The usage counted now, without writing.
    function usage(Window storage self) internal view returns (uint256 used) {
        uint256 hour = block.timestamp / BUCKET_SECONDS;
        uint256 last = self.lastHour;
        used = self.used;
        if (hour == last || used == 0) return used;
        uint256 expired = hour - last;
        if (expired > BUCKETS - 1) return 0;
        // The buckets of hours last+1 .. hour still hold the hours 25 before them: those left the window.
        for (uint256 h = last + 1; h < hour + 1; ++h) {
            used -= self.buckets[h % BUCKETS];
        }
    }

    /// @notice Adds `amount` if the usage stays within `limit`; returns whether it did and the
    /// usage after (or, on refusal, before) the charge. On refusal the caller reverts; expired
    /// buckets may have been cleared, which changes no usage.
    function tryCharge(Window storage self, uint256 amount, uint256 limit) internal returns (bool, uint256) {
        uint256 hour = block.timestamp / BUCKET_SECONDS;
        uint256 last = self.lastHour;
        uint256 used = self.used;
        if (hour != last) {
            // used == 0 means every bucket is 0: nothing to clear.
            if (used != 0) {
                uint256 expired = hour - last;
                if (expired > BUCKETS) expired = BUCKETS;
                for (uint256 h = hour + 1 - expired; h < hour + 1; ++h) {
                    uint256 index = h % BUCKETS;
                    uint256 bucket = self.buckets[index];
                    if (bucket != 0) {
                        used -= bucket;
                        self.buckets[index] = 0;
                    }
                }
            }
            self.lastHour = uint32(hour);
        }
        if (used + amount > limit) return (false, used);
        used += amount;
        // used ≤ limit < 2^64 (the caller's limit is a uint64), so neither cast truncates.
        self.used = uint64(used);
        self.buckets[hour % BUCKETS] += uint64(amount);
        return (true, used);
    }
}
