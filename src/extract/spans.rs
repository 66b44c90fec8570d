//! Range lookups over items sorted by start, so that extraction stays near-linear on reports with
//! tens of thousands of quotes, titles or numbers.

use std::ops::Range;

/// Items sorted by the start of their range, with the longest range known, for overlap queries.
#[derive(Debug, Clone)]
pub struct Sorted<T> {
    items: Vec<T>,
    longest: usize,
    range: fn(&T) -> Range<usize>,
}

impl<T> Sorted<T> {
    /// Sort `items` by the start of `range(item)`.
    pub fn new(mut items: Vec<T>, range: fn(&T) -> Range<usize>) -> Sorted<T> {
        items.sort_by_key(|x| range(x).start);
        let longest = items.iter().map(|x| range(x).len()).max().unwrap_or(0);
        Sorted {
            items,
            longest,
            range,
        }
    }

    /// The items, in order of start.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Take the items back.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// Items whose range overlaps `r`.
    pub fn overlapping<'a>(&'a self, r: &'a Range<usize>) -> impl Iterator<Item = &'a T> + 'a {
        let range = self.range;
        let lo = self
            .items
            .partition_point(|x| range(x).start + self.longest < r.start);
        let hi = self
            .items
            .partition_point(|x| range(x).start < r.end)
            .max(lo);
        self.items[lo..hi].iter().filter(move |x| {
            let xr = range(x);
            xr.start < r.end && r.start < xr.end
        })
    }

    /// Items whose range lies inside `r`.
    pub fn inside<'a>(
        &'a self,
        r: &'a Range<usize>,
    ) -> impl DoubleEndedIterator<Item = &'a T> + 'a {
        let range = self.range;
        let lo = self.items.partition_point(|x| range(x).start < r.start);
        let hi = self
            .items
            .partition_point(|x| range(x).start < r.end)
            .max(lo);
        self.items[lo..hi]
            .iter()
            .filter(move |x| range(x).end <= r.end)
    }

    /// Whether some item's range holds the whole of `r`.
    pub fn encloses(&self, r: &Range<usize>) -> bool {
        self.overlapping(r).any(|x| {
            let xr = (self.range)(x);
            xr.start <= r.start && r.end <= xr.end
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(r: &Range<usize>) -> Range<usize> {
        r.clone()
    }

    #[test]
    fn lookups_match_a_linear_scan() {
        let ranges: Vec<Range<usize>> = (0..200)
            .map(|i| (i * 7) % 150..(i * 7) % 150 + i % 9 + 1)
            .collect();
        let s = Sorted::new(ranges.clone(), id);
        for a in 0..160 {
            for len in 1..12 {
                let r = a..a + len;
                let mut want: Vec<_> = ranges
                    .iter()
                    .filter(|x| x.start < r.end && r.start < x.end)
                    .cloned()
                    .collect();
                let mut got: Vec<_> = s.overlapping(&r).cloned().collect();
                want.sort_by_key(|x| (x.start, x.end));
                got.sort_by_key(|x| (x.start, x.end));
                assert_eq!(got, want);
                let inside = ranges
                    .iter()
                    .filter(|x| r.start <= x.start && x.end <= r.end)
                    .count();
                assert_eq!(s.inside(&r).count(), inside);
                let enclosing = ranges.iter().any(|x| x.start <= r.start && r.end <= x.end);
                assert_eq!(s.encloses(&r), enclosing);
            }
        }
    }
}
