/** Signing in to the console with a head-office account (never the admin token). */
export const signIn = {
  signIn: {
    title: '总行控制台登录',
    hint: '请使用总行管理员为您开设的账户登录。',
    username: '用户名',
    password: '密码',
    submit: '登录',
    required: '请输入{{field}}',
    missing: '请输入用户名和密码',
    wrong: '用户名或密码不正确',
    wrongRemaining: '用户名或密码不正确，再错 {{n}} 次账户将被锁定 15 分钟',
    locked: '密码错误次数过多，账户已锁定至 {{until}}（北京时间），请稍后再试',
    disabled: '该账户已停用，请联系总行管理员',
    origin: '请从控制台页面登录',
    busy: '登录尝试过于频繁，请稍后再试',
  },
};
