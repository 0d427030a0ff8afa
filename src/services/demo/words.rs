//! The demo's word pools (names, firms, industries) and its deterministic random numbers.

use crate::domain::credit_code::CreditCode;

/// A small deterministic generator (xorshift64*), so demo data is the same on every machine.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

pub(super) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
];
pub(super) const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "建华", "志强", "海燕",
];
pub(super) const FIRM_WORDS: &[&str] = &[
    "恒达", "华盛", "鑫源", "永康", "瑞丰", "金桥", "宏图", "海天", "东方", "新欣", "博远", "天成",
    "佳美", "顺发", "银河",
];
pub(super) const INDUSTRIES: &[(&str, &str)] = &[
    ("制造业", "机械制造"),
    ("建筑业", "建筑工程"),
    ("餐饮业", "餐饮管理"),
    ("批发和零售业", "商贸"),
    ("物流业", "物流"),
    ("服务业", "物业服务"),
    ("信息技术", "科技"),
];
pub(super) const CODE_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

pub(super) fn person_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

pub(super) fn credit_code(rng: &mut Rng) -> Option<CreditCode> {
    let mut first17 = String::from("91330203");
    for _ in 0..9 {
        first17.push(*rng.pick(CODE_CHARS) as char);
    }
    CreditCode::with_check_character(&first17)
}
