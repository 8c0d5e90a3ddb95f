//! Rows that give their own scope: a handler loads a resource and checks it with
//! [`Authorized::require_row`](crate::Authorized::require_row), rather than spelling its business
//! unit, owner and amount at every check.

pub use kisum_access::Scope;

/// A resource (a database row) that narrows a request's scope by its business unit, workflow,
/// owner and amount, for [`Authorized::require_row`](crate::Authorized::require_row).
///
/// Write it with [`scoped!`](crate::scoped) when the row's fields hold the attributes, or by hand:
///
/// ```
/// use kisum_access_axum::row::{Scope, Scoped};
///
/// struct Bill {
///     business_unit: Option<String>,
///     owner: String,
///     amount: i64,
/// }
///
/// impl Scoped for Bill {
///     fn scope<'a>(&'a self, request: Scope<'a>) -> Scope<'a> {
///         request
///             .maybe_business_unit(self.business_unit.as_deref())
///             .owner(&self.owner)
///             .maybe_amount(u64::try_from(self.amount).ok())
///     }
/// }
///
/// let bill = Bill { business_unit: None, owner: "user-7".into(), amount: 12_500 };
/// let scope = bill.scope(Scope::company("acme"));
/// assert_eq!((scope.business_unit_id(), scope.amount_value()), (None, Some(12_500)));
/// ```
pub trait Scoped {
    /// `request` (the company, and what the request's parameters carried) narrowed by the row.
    /// What the row sets replaces what the request carried: the row is the truth about itself.
    fn scope<'a>(&'a self, request: Scope<'a>) -> Scope<'a>;
}

impl<T: Scoped + ?Sized> Scoped for &T {
    fn scope<'a>(&'a self, request: Scope<'a>) -> Scope<'a> {
        (**self).scope(request)
    }
}

/// A row field that holds a business unit, a workflow or an owner: `str`, `String`,
/// `Box<str>`, `Cow<str>`, or an `Option` of one (`None`: the row has none, and a restriction
/// on it denies).
pub trait ScopeText {
    /// The id, if the row has one.
    fn scope_text(&self) -> Option<&str>;
}

impl ScopeText for str {
    fn scope_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl ScopeText for String {
    fn scope_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl ScopeText for Box<str> {
    fn scope_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl ScopeText for std::borrow::Cow<'_, str> {
    fn scope_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: ScopeText + ?Sized> ScopeText for &T {
    fn scope_text(&self) -> Option<&str> {
        (**self).scope_text()
    }
}

impl<T: ScopeText> ScopeText for Option<T> {
    fn scope_text(&self) -> Option<&str> {
        self.as_ref()?.scope_text()
    }
}

/// A row field that holds an amount: an integer, or an `Option` of one. A negative amount is no
/// amount (as in `kisum_access::sql`), so an approval of it is denied.
pub trait ScopeAmount {
    /// The amount, if the row has a valid one.
    fn scope_amount(&self) -> Option<u64>;
}

macro_rules! scope_amount {
    ($($int:ty),*) => {$(
        impl ScopeAmount for $int {
            fn scope_amount(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
    )*};
}

scope_amount!(u64, u32, u16, u8, usize, i64, i32, i16, i8, isize);

impl<T: ScopeAmount + ?Sized> ScopeAmount for &T {
    fn scope_amount(&self) -> Option<u64> {
        (**self).scope_amount()
    }
}

impl<T: ScopeAmount> ScopeAmount for Option<T> {
    fn scope_amount(&self) -> Option<u64> {
        self.as_ref()?.scope_amount()
    }
}

/// A request's scope narrowed field by field from a row's fields, whatever [`ScopeText`] or
/// [`ScopeAmount`] type they have; what [`scoped!`](crate::scoped) expands to.
///
/// ```
/// use kisum_access_axum::row::{RowScope, Scope};
///
/// let (unit, amount): (Option<String>, i64) = (Some("bu-x".into()), -5);
/// let scope = RowScope::new(Scope::company("acme")).business_unit(&unit).amount(&amount).get();
/// assert_eq!(scope.business_unit_id(), Some("bu-x"));
/// assert_eq!(scope.amount_value(), None); // a negative amount is no amount
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RowScope<'a>(Scope<'a>);

impl<'a> RowScope<'a> {
    /// Starts from the request's scope.
    pub fn new(request: Scope<'a>) -> Self {
        RowScope(request)
    }

    /// The row's business unit (absent if `field` holds none).
    pub fn business_unit(self, field: &'a (impl ScopeText + ?Sized)) -> Self {
        RowScope(self.0.maybe_business_unit(field.scope_text()))
    }

    /// The row's workflow (absent if `field` holds none).
    pub fn workflow(self, field: &'a (impl ScopeText + ?Sized)) -> Self {
        RowScope(self.0.maybe_workflow(field.scope_text()))
    }

    /// The row's owner (absent if `field` holds none).
    pub fn owner(self, field: &'a (impl ScopeText + ?Sized)) -> Self {
        RowScope(self.0.maybe_owner(field.scope_text()))
    }

    /// The row's amount (absent if `field` holds none, or a negative one).
    pub fn amount(self, field: &(impl ScopeAmount + ?Sized)) -> Self {
        RowScope(self.0.maybe_amount(field.scope_amount()))
    }

    /// The narrowed scope.
    pub fn get(self) -> Scope<'a> {
        self.0
    }
}

/// Implements [`Scoped`](crate::row::Scoped) for a row type from its fields: `attribute` reads
/// the field of the same name, `attribute = field` another one. The attributes are
/// `business_unit`, `workflow`, `owner` and `amount`; a row names those it has. Field types are
/// [`ScopeText`](crate::row::ScopeText) (`String`, `Option<String>`, ...) and
/// [`ScopeAmount`](crate::row::ScopeAmount) (`i64`, `Option<u64>`, ...).
///
/// ```
/// use kisum_access_axum::row::{Scope, Scoped};
///
/// struct Bill {
///     business_unit: Option<String>,
///     created_by: String,
///     amount: i64,
/// }
/// kisum_access_axum::scoped!(Bill: business_unit, owner = created_by, amount);
///
/// let unit = Some("bu-x".to_string());
/// let bill = Bill { business_unit: unit, created_by: "user-7".into(), amount: 900 };
/// let scope = bill.scope(Scope::company("acme"));
/// assert_eq!(scope.business_unit_id(), Some("bu-x"));
/// assert_eq!(scope.owner_id(), Some("user-7"));
/// assert_eq!(scope.amount_value(), Some(900));
/// ```
///
/// An attribute that is not one of the four does not compile:
///
/// ```compile_fail
/// struct Bill { unit: String }
/// kisum_access_axum::scoped!(Bill: department = unit);
/// ```
#[macro_export]
macro_rules! scoped {
    ($row:ty : $($attr:ident $(= $field:ident)?),+ $(,)?) => {
        impl $crate::row::Scoped for $row {
            fn scope<'a>(&'a self, request: $crate::row::Scope<'a>) -> $crate::row::Scope<'a> {
                let row = $crate::row::RowScope::new(request);
                $(let row = $crate::scoped!(@set row, self, $attr $(= $field)?);)+
                row.get()
            }
        }
    };
    (@set $row:ident, $this:ident, $attr:ident) => {
        $row.$attr(&$this.$attr)
    };
    (@set $row:ident, $this:ident, $attr:ident = $field:ident) => {
        $row.$attr(&$this.$field)
    };
}
