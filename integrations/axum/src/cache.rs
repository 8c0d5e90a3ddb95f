//! Subjects cached per token until the token expires, in a bounded concurrent cache (moka).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kisum_access::Subject;
use moka::Expiry;
use moka::sync::Cache;

/// Most subjects cached unless [`CacheConfig::max_entries`] says otherwise.
pub const DEFAULT_CACHE_ENTRIES: u64 = 10_000;
/// Longest a subject stays cached unless [`CacheConfig::max_ttl`] says otherwise (a subject never
/// outlives its token's `exp`).
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(300);

/// Size and lifetime of the subject cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheConfig {
    /// Most subjects held; `0` turns the cache off (every request verifies and asks the provider).
    pub max_entries: u64,
    /// Longest a subject is held; it is also never held past its token's `exp`.
    pub max_ttl: Duration,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            max_entries: DEFAULT_CACHE_ENTRIES,
            max_ttl: DEFAULT_CACHE_TTL,
        }
    }
}

/// Hit and miss counts of the subject cache, since the layer was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheStats {
    /// Requests served from a cached subject.
    pub hits: u64,
    /// Requests that asked the provider: no entry or an expired one (the token is verified and
    /// compiled), or one of an older entitlements revision (the cached subject is re-derived with
    /// the fresh entitlements).
    pub misses: u64,
}

#[derive(Clone)]
struct Entry {
    subject: Arc<Subject>,
    revision: u64,
    /// The token's `exp`, seconds since the epoch.
    expires_at: u64,
    ttl: Duration,
}

struct UntilExpiry;

impl Expiry<Box<str>, Entry> for UntilExpiry {
    fn expire_after_create(&self, _: &Box<str>, e: &Entry, _: Instant) -> Option<Duration> {
        Some(e.ttl)
    }
}

/// What the cache has for a token.
pub(crate) enum Lookup {
    /// A subject of the current entitlements revision.
    Hit(Arc<Subject>),
    /// A subject of an older revision, and the token's `exp`.
    Stale(Arc<Subject>, u64),
    /// Nothing usable.
    Miss,
}

pub(crate) struct SubjectCache {
    cache: Option<Cache<Box<str>, Entry>>,
    config: CacheConfig,
    hits: AtomicU64,
    misses: AtomicU64,
}

pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl SubjectCache {
    pub(crate) fn new(config: CacheConfig) -> Self {
        let cache = (config.max_entries > 0).then(|| {
            Cache::builder()
                .max_capacity(config.max_entries)
                .expire_after(UntilExpiry)
                .build()
        });
        SubjectCache {
            cache,
            config,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The subject cached for `token`. The entry is keyed by (token, revision): one built at
    /// another entitlements revision is [`Lookup::Stale`] (a miss: its subject needs fresh
    /// entitlements), and is replaced by the next insert.
    pub(crate) fn get(&self, token: &str, revision: u64) -> Lookup {
        let entry = self.cache.as_ref().and_then(|c| c.get(token));
        let lookup = match entry {
            Some(e) if now_secs() < e.expires_at => {
                if e.revision == revision {
                    Lookup::Hit(e.subject)
                } else {
                    Lookup::Stale(e.subject, e.expires_at)
                }
            }
            _ => Lookup::Miss,
        };
        let counter = match lookup {
            Lookup::Hit(_) => &self.hits,
            _ => &self.misses,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        lookup
    }

    pub(crate) fn insert(
        &self,
        token: &str,
        revision: u64,
        expires_at: u64,
        subject: Arc<Subject>,
    ) {
        let Some(cache) = &self.cache else { return };
        let left = Duration::from_secs(expires_at.saturating_sub(now_secs()));
        let ttl = left.min(self.config.max_ttl);
        if ttl.is_zero() {
            return;
        }
        let entry = Entry {
            subject,
            revision,
            expires_at,
            ttl,
        };
        cache.insert(token.into(), entry);
    }

    pub(crate) fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }
}
